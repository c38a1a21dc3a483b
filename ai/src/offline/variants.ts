/**
 * Offline A/B variants: each changes one thing of the original (the hook, the order, the length, the call to
 * action, the audience call-out, the subject line or title) and keeps its facts; each says what it tests and why.
 */
import { CHANNEL_LIMITS } from '../prompts/common';
import type { Variant, VariantsInput, VariantsOutput } from '../prompts/variants';
import { audienceOf } from './brief';
import { callsFor, ctaLine, fitParts, fitWithTags, hasTag, measureFor, type Part } from './content';
import { capitalize, distinct, hashtagAllowed, inSentence, isInstructionToAi, type Random, scrub, sentences, shortPhrase, titleCase, truncate, withoutEndPunctuation } from './text';

interface Original {
  greeting: string;
  intro: string;
  /** The blocks after the intro (paragraphs, lists, headings), as written. */
  rest: string[];
  signoff: string;
  cta: string;
  link: string;
  tags: string[];
  title: string;
  topic: string;
}

const GREETING = /^(?:hi|hello|hey|dear|good (?:morning|afternoon|evening))\b[^\n]{0,60}[,!]?$/iu;
const SIGNOFF = /^(?:best|cheers|warmly|kind regards|regards|thanks|thank you|sincerely|all the best|talk soon)\b/iu;
const TAG_LINE = /^(?:#[^\s#]+\s*)+$/u;
const BENEFIT = /\b(?:you|your|save[sd]?|faster|easier|easy|simple|free|without|less|more|better|help[s]?|never|in minutes|automatic(?:ally)?|\d+\s?%)\b/giu;

function readOriginal(input: VariantsInput): Original {
  const { original } = input;
  const link = /https?:\/\/\S+/u.exec(original.body)?.[0]?.replace(/[.,;:!?)]+$/u, '') ?? '';
  const cta = withoutEndPunctuation(original.callToAction);
  const tags = distinct([...original.hashtags, ...(original.body.match(/#[\p{L}\p{N}_]+/gu) ?? [])]).filter((t) => /^#[^\s#]{1,49}$/u.test(t));
  let blocks = original.body
    .split(/\n\s*\n/u)
    .map((b) => b.trim())
    .filter(Boolean);
  // the call to action's line, the hashtags' line, and lines addressed to an AI are not copy to vary
  blocks = blocks
    .map((block) =>
      block
        .split('\n')
        .filter((line) => !TAG_LINE.test(line.trim()) && !isInstructionToAi(line))
        .map((line) => (cta && line.toLowerCase().includes(cta.toLowerCase()) ? removeSentence(line, cta) : line))
        .map((line) => (link ? line.replace(link, '').replace(/[:\s]+$/u, '').trim() : line))
        .map((line) => line.replace(/(?:\s+#[^\s#]+)+\s*$/u, '').trimEnd())
        .filter((line) => line.trim())
        .join('\n'),
    )
    .filter(Boolean);
  const greeting = blocks[0] && GREETING.test(blocks[0]) ? (blocks.shift() ?? '') : '';
  let signoff = '';
  const last = blocks.at(-1);
  if (last && SIGNOFF.test(last)) signoff = blocks.pop() ?? '';
  const first = blocks.shift() ?? '';
  const firstSentences = first.startsWith('#') ? [first] : sentences(first);
  const intro = firstSentences[0] ?? (withoutEndPunctuation(original.title) || input.brand.name);
  const remainder = first.startsWith('#') ? '' : first.slice(first.indexOf(intro) + intro.length).trim();
  const rest = [remainder, ...blocks].filter(Boolean);
  const title = original.title.trim() || shortPhrase(intro, 8, 3);
  // 'New from Tempo: our new app' is about 'our new app'
  const about = title.includes(': ') ? title.slice(title.lastIndexOf(': ') + 2) : title;
  return { greeting, intro, rest, signoff, cta, link, tags, title, topic: inSentence(shortPhrase(withoutEndPunctuation(about), 8, 2)) };
}

/** `line` without the sentence that holds `phrase`. */
function removeSentence(line: string, phrase: string): string {
  return sentences(line)
    .filter((s) => !s.toLowerCase().includes(phrase.toLowerCase()))
    .join(' ');
}

interface Draft {
  /** What the variant does, as an instruction ('open with a question'). */
  action: string;
  /** What it changed, as a description ('Opens with a question'). */
  change: string;
  metric: string;
  why: string;
  title?: string;
  intro?: string;
  before?: string;
  rest?: string[];
  cta?: string;
}

function levers(input: VariantsInput, original: Original, rng: Random): Draft[] {
  const { channel, brand } = input;
  const audience = audienceOf(brand);
  const readers = audience || 'readers';
  const drafts: Draft[] = [];
  const engagement = channel === 'BLOG' ? 'average time on page' : channel === 'EMAIL' ? 'click-through rate' : 'engagement rate';

  drafts.push({
    action: 'open with a question',
    change: 'Opens with a question',
    metric: engagement,
    why: `Opening with a question makes ${readers} answer it in their heads, so more of them stop and read on`,
    before: `Curious about ${original.topic}?`,
  });

  const restSentences = original.rest.filter((b) => !/^(?:#|-|→|\d+[.)])/u.test(b)).flatMap((b) => sentences(b));
  const scored = restSentences.map((s) => ({ s, score: (s.match(BENEFIT) ?? []).length })).filter((x) => x.score > 0);
  const benefit = scored.sort((a, b) => b.score - a.score)[0]?.s;
  if (benefit) {
    drafts.push({
      action: 'lead with the benefit',
      change: 'Leads with the benefit',
      metric: 'click-through rate',
      why: `Putting the benefit ("${truncate(benefit, 80)}") first tells ${readers} what is in it for them before they decide to scroll past`,
      intro: benefit,
      rest: [original.intro, ...original.rest.map((b) => b.replace(benefit, '').replace(/\s{2,}/gu, ' ').trim()).filter(Boolean)],
    });
  }

  if (original.rest.length > 0 && channel !== 'BLOG') {
    drafts.push({
      action: 'cut the copy to its opening and the call to action',
      change: 'Cuts the copy to its opening and the call to action',
      metric: 'click-through rate',
      why: `Less to read puts the call to action in front of more ${readers} on ${CHANNEL_LIMITS[channel].label}, where attention is short`,
      rest: [],
    });
  }

  const ctas = callsFor(channel, !!original.link, brand).filter((c) => c.toLowerCase() !== original.cta.toLowerCase());
  if (ctas.length > 0) {
    const cta = rng.pick(ctas);
    drafts.push({
      action: `change the call to action to "${cta}"`,
      change: `Changes the call to action to "${cta}"`,
      metric: original.link ? 'click-through rate' : channel === 'EMAIL' ? 'reply rate' : 'comment rate',
      why: `A more specific call to action ("${cta}") tells ${readers} exactly what to do next`,
      cta,
    });
  }

  if (audience) {
    drafts.push({
      action: 'name the audience in the first line',
      change: 'Names the audience in the first line',
      metric: engagement,
      why: `Calling out ${audience} in the first line makes the right readers recognise themselves and stop`,
      before: `For ${audience}:`,
    });
  }

  if (channel === 'EMAIL') {
    drafts.push({
      action: 'ask a question in the subject line',
      change: 'Asks a question in the subject line',
      metric: 'open rate',
      why: `A question in the subject line arouses curiosity in the inbox, so more ${readers} open the email`,
      title: `${capitalize(original.topic)}?`,
    });
  }
  if (channel === 'BLOG') {
    drafts.push({
      action: 'frame the title as a how-to',
      change: 'Frames the title as a how-to',
      metric: 'click-through rate from search and social',
      why: `A how-to title promises a practical answer, which ${readers} click more often in search results and feeds`,
      title: `How ${titleCase(original.topic)} Works`,
    });
  }
  return drafts;
}

export function generateVariants(input: VariantsInput, rng: Random): VariantsOutput {
  const { channel, brand } = input;
  const limits = CHANNEL_LIMITS[channel];
  const measure = measureFor(channel);
  const original = readOriginal(input);
  const avoid = brand.wordsToAvoid;
  const tags = original.tags.filter((t) => hashtagAllowed(t, avoid)).slice(0, limits.hashtags);
  const goal = withoutEndPunctuation(input.goal);

  const build = (draft: Draft): Omit<Variant, 'label'> => {
    const cta = draft.cta ?? original.cta;
    const intro = draft.intro ?? original.intro;
    const lead = [draft.before ?? '', intro].filter(Boolean).join(channel === 'X' ? ' ' : '\n\n');
    const parts: Part[] = [
      { text: original.greeting, drop: 0 },
      { text: lead, drop: 0, shrink: true },
      ...(draft.rest ?? original.rest).map((block, i) => ({ text: block, drop: 3 + i })),
      { text: ctaLine(cta, original.link, channel), drop: 0 },
      { text: original.signoff, drop: 0 },
    ];
    const separator = channel === 'X' ? ' ' : '\n\n';
    const shown = channel === 'BLOG' || channel === 'EMAIL' ? [] : tags;
    const body = scrub(fitWithTags(parts, separator, shown, limits.body, measure) || fitParts(parts, separator, limits.body, measure), avoid);
    const hashtags = channel === 'BLOG' ? tags : tags.filter((t) => hasTag(body, t));
    const metric = draft.metric;
    const hypothesis = `If we ${draft.action}, we expect a higher ${metric}${goal ? ` and so ${lowerFirst(goal)}` : ''}: ${lowerFirst(draft.why)}.`;
    return {
      title: truncate(scrub(draft.title ?? original.title, avoid) || brand.name, limits.title),
      body: body || truncate(brand.name, limits.body),
      callToAction: truncate(scrub(cta, avoid), 200),
      hashtags,
      change: truncate(draft.change, 200),
      hypothesis: truncate(hypothesis, 400),
      metric: truncate(metric, 80),
    };
  };

  const key = (v: Omit<Variant, 'label'>) => `${v.title}\n${v.body}\n${v.callToAction}`.toLowerCase();
  const seen = new Set<string>([key({ title: original.title, body: input.original.body, callToAction: input.original.callToAction, hashtags: [], change: '', hypothesis: '', metric: '' })]);
  const chosen: Omit<Variant, 'label'>[] = [];
  for (const draft of rng.shuffle(levers(input, original, rng))) {
    if (chosen.length >= input.count) break;
    const variant = build(draft);
    if (seen.has(key(variant))) continue;
    seen.add(key(variant));
    chosen.push(variant);
  }
  // an original too short to vary in these ways still gets its variants: one call to action each
  const spare = distinct([...callsFor(channel, true, brand), ...callsFor(channel, false, brand), 'Learn more', 'Get started', 'Try it', 'Join us', 'Take a look']);
  for (const cta of spare) {
    if (chosen.length >= input.count) break;
    const variant = build({
      action: `change the call to action to "${cta}"`,
      change: `Changes the call to action to "${cta}"`,
      metric: 'click-through rate',
      why: `the wording of the call to action ("${cta}") alone can change how many ${audienceOf(brand) || 'readers'} act`,
      cta,
    });
    if (seen.has(key(variant))) continue;
    seen.add(key(variant));
    chosen.push(variant);
  }
  return { variants: chosen.map((v, i) => ({ label: String.fromCharCode(66 + i), ...v })) };
}

function lowerFirst(text: string): string {
  return /^\p{Lu}(?:\p{Ll}|\s)/u.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}
