/**
 * Offline strategy: pillars from the brief's keywords and the brand's words (completed with the pillars most
 * strategies need), audiences from the brand's audience, each channel with a cadence and formats that suit it,
 * KPIs for the goals the brief names and for each channel.
 */
import { CHANNEL_LIMITS, type Channel } from '../prompts/common';
import type { StrategyInput, StrategyOutput } from '../prompts/strategy';
import { readBrief } from './brief';
import { capitalize, distinct, joinList, material, type Random, titleCase, truncate, withoutEndPunctuation } from './text';

interface ChannelPlan {
  role: string;
  postsPerWeek: number;
  cadence: string;
  formats: string[];
  kpi: { name: string; target: string; why: string };
}

const PLANS: Record<Channel, ChannelPlan> = {
  LINKEDIN: {
    role: 'Professional reach and credibility: ideas and proof for decision makers.',
    postsPerWeek: 3,
    cadence: '3 posts a week, Tuesday to Thursday mornings',
    formats: ['text post with a strong first line', 'document carousel', 'short customer story'],
    kpi: { name: 'LinkedIn engagement rate', target: 'At least 3% per post', why: 'Shows the ideas land with professionals.' },
  },
  X: {
    role: 'Timely conversation: quick takes, replies and links to deeper pieces.',
    postsPerWeek: 5,
    cadence: 'One post each weekday, plus replies',
    formats: ['single post', 'short thread', 'reply to a relevant conversation'],
    kpi: { name: 'X engagement rate', target: 'At least 1.5% per post', why: 'Shows the takes start conversations.' },
  },
  BLOG: {
    role: 'Depth and search traffic: the home of every pillar, which other channels link to.',
    postsPerWeek: 1,
    cadence: 'One article a week, published on Tuesday',
    formats: ['how-to article', 'explainer', 'case study'],
    kpi: { name: 'Organic blog sessions', target: '+25% over the horizon', why: 'Shows the articles are found and read.' },
  },
  EMAIL: {
    role: 'Nurture and conversion: the best of the content, sent to people who asked for it.',
    postsPerWeek: 0.5,
    cadence: 'A newsletter every other week',
    formats: ['newsletter', 'product update', 'short nurture sequence'],
    kpi: { name: 'Email click-through rate', target: 'At least 3% per send', why: 'Shows subscribers act on what they read.' },
  },
  FACEBOOK: {
    role: 'Community: conversation with existing customers and local audiences.',
    postsPerWeek: 3,
    cadence: '3 posts a week',
    formats: ['photo post with a question', 'short video', 'event or community update'],
    kpi: { name: 'Facebook engagement rate', target: 'At least 1% per post', why: 'Shows the community responds.' },
  },
  INSTAGRAM: {
    role: 'Visual storytelling: the brand and its customers, shown rather than told.',
    postsPerWeek: 4,
    cadence: '4 posts a week, with stories in between',
    formats: ['carousel', 'reel', 'story with a poll'],
    kpi: { name: 'Instagram saves and shares', target: '+20% over the horizon', why: 'Saves and shares show content worth keeping.' },
  },
  TIKTOK: {
    role: 'Reach with short video: quick, native, entertaining takes on the pillars.',
    postsPerWeek: 3,
    cadence: '3 short videos a week',
    formats: ['15-30 second tip', 'behind the scenes', 'trend adapted to the brand'],
    kpi: { name: 'TikTok average watch time', target: 'Over 50% of each video', why: 'Watch time decides reach on TikTok.' },
  },
};

const GOALS: { pattern: RegExp; kpi: { name: string; target: (weeks: number) => string; why: string } }[] = [
  { pattern: /\b(?:leads?|sign[- ]?ups?|trials?|registrations?|demos?)\b/iu, kpi: { name: 'Sign-ups from content', target: (w) => `+20% over ${w} weeks`, why: 'The brief asks for sign-ups or leads.' } },
  { pattern: /\b(?:sales?|revenue|purchases?|orders?|conversions?)\b/iu, kpi: { name: 'Revenue attributed to content', target: (w) => `+10% over ${w} weeks`, why: 'The brief asks for sales.' } },
  { pattern: /\b(?:awareness|reach|visibility|known|brand recognition)\b/iu, kpi: { name: 'Reach across channels', target: (w) => `+30% over ${w} weeks`, why: 'The brief asks for awareness.' } },
  { pattern: /\b(?:community|engagement|loyal\w*|retention|retain)\b/iu, kpi: { name: 'Returning audience', target: (w) => `+15% over ${w} weeks`, why: 'The brief asks for a closer relationship with the audience.' } },
  { pattern: /\b(?:subscribers?|newsletter|list)\b/iu, kpi: { name: 'Newsletter subscribers', target: (w) => `+15% over ${w} weeks`, why: 'The brief asks to grow the list.' } },
];

const STANDARD_PILLARS = [
  { name: 'Customer stories', description: 'Proof through the people {brand} serves: their problem, what changed, in their words.', topics: ['A customer interview', 'Before and after: one customer\'s workflow', 'A question customers ask most, answered'] },
  { name: 'How-tos and tips', description: 'Practical help {audience} can use today, so {brand} becomes the place to learn.', topics: ['A step-by-step guide', 'Five common mistakes and how to avoid them', 'A checklist to save'] },
  { name: 'Behind the scenes', description: 'How {brand} works and why: the people, the choices, the craft.', topics: ['Meet the team', 'How we decide what to build', 'A day in the life'] },
];

export function generateStrategy(input: StrategyInput, rng: Random): StrategyOutput {
  const { brand, channels, horizonWeeks } = input;
  const brief = readBrief(input.brief, brand);
  const briefSentences = material(input.brief);
  const audienceText = brief.audience || 'the audience';
  const themes = distinct([...brief.keywords, ...brief.wordsToUse]).slice(0, 4);

  const pillars: StrategyOutput['pillars'] = themes.slice(0, 3).map((theme) => {
    const evidence = briefSentences.find((s) => s.toLowerCase().includes(theme.toLowerCase()));
    return {
      name: truncate(titleCase(capitalize(theme)), 80),
      description: truncate(`Content on ${theme} for ${audienceText}${evidence ? `, building on the brief: "${withoutEndPunctuation(evidence)}"` : `, where ${brand.name} has something to say`}.`, 400),
      exampleTopics: [
        `${capitalize(theme)}: a practical guide for ${audienceText}`,
        `${capitalize(theme)}: the questions ${brand.name} hears most, answered`,
        `${capitalize(theme)} in practice: a customer story`,
      ].map((t) => truncate(t, 150)),
    };
  });
  for (const standard of rng.shuffle(STANDARD_PILLARS)) {
    if (pillars.length >= 4) break;
    pillars.push({
      name: standard.name,
      description: truncate(standard.description.replace('{brand}', brand.name).replace('{audience}', audienceText), 400),
      exampleTopics: standard.topics.map((t) => truncate(t, 150)),
    });
  }

  const audienceNames = distinct(
    brand.audience
      .split(/[,;\n]|\band\b/u)
      .map((a) => withoutEndPunctuation(a))
      .filter((a) => a.length > 2),
  ).slice(0, 3);
  const needs = [
    ...themes.slice(0, 2).map((t) => `Practical, honest information about ${t}`),
    `Proof that ${brand.name} delivers what it promises`,
    'Content worth their limited time',
  ].map((n) => truncate(n, 150));
  const audiences: StrategyOutput['audiences'] =
    audienceNames.length > 0
      ? audienceNames.map((name) => ({
          name: truncate(capitalize(name), 80),
          description: truncate(`${capitalize(name)} who could choose ${brand.name}, as the brand describes its audience.`, 400),
          needs: needs.slice(0, 4),
        }))
      : [
          { name: 'Current customers', description: truncate(`People who already use ${brand.name}: keep them informed and give them reasons to recommend it.`, 400), needs: needs.slice(0, 3) },
          { name: 'Prospective customers', description: truncate(`People who need what ${brand.name} offers and do not know it yet.`, 400), needs: needs.slice(0, 4) },
        ];

  const heavy = /\b(?:awareness|reach|launch|visibility)\b/iu.test(input.brief);
  const plannedChannels: StrategyOutput['channels'] = distinct(channels).map((c) => {
    const channel = c as Channel;
    const plan = PLANS[channel];
    const postsPerWeek = heavy && channel !== 'BLOG' && channel !== 'EMAIL' ? plan.postsPerWeek + 1 : plan.postsPerWeek;
    return {
      channel,
      role: truncate(plan.role, 300),
      postsPerWeek,
      cadence: truncate(postsPerWeek === plan.postsPerWeek ? plan.cadence : `${postsPerWeek} posts a week during the push, then ${plan.postsPerWeek}`, 120),
      formats: plan.formats,
    };
  });

  const kpis: StrategyOutput['kpis'] = [];
  for (const goal of GOALS) {
    if (goal.pattern.test(input.brief)) kpis.push({ name: goal.kpi.name, target: goal.kpi.target(horizonWeeks), channel: 'ALL', why: goal.kpi.why });
  }
  for (const planned of plannedChannels) {
    if (kpis.length >= 10) break;
    const kpi = PLANS[planned.channel].kpi;
    kpis.push({ name: kpi.name, target: kpi.target, channel: planned.channel, why: kpi.why });
  }
  if (kpis.length < 2) kpis.push({ name: 'Content published on schedule', target: '90% of the planned pieces', channel: 'ALL', why: 'A strategy only works if it is carried out.' });
  if (kpis.length < 2) kpis.push({ name: 'Engagement across channels', target: `+15% over ${horizonWeeks} weeks`, channel: 'ALL', why: 'Shows the content resonates.' });

  const summary = truncate(
    `A ${horizonWeeks}-week content strategy for ${brand.name}${brief.subject ? ` focused on ${withoutEndPunctuation(brief.subject)}` : ''}: ` +
      `${pillars.length} pillars (${joinList(pillars.map((p) => p.name))}) for ${joinList(audiences.map((a) => a.name.toLowerCase()))}, ` +
      `on ${joinList(plannedChannels.map((c) => CHANNEL_LIMITS[c.channel].label))}, measured by ${joinList(kpis.slice(0, 3).map((k) => k.name.toLowerCase()))}.`,
    800,
  );
  return { summary, pillars: pillars.slice(0, 6), audiences, channels: plannedChannels, kpis: kpis.slice(0, 10) };
}
