/**
 * Offline content: a piece for one channel written from the brief with the brand's name, voice and words, within
 * the channel's limits (X as X counts it), hashtags from the keywords, the words to avoid nowhere.
 */
import { CHANNEL_LIMITS, channelLength, type Brand, type Channel } from '../prompts/common';
import type { ContentInput, ContentOutput } from '../prompts/content';
import { readBrief, voiceProfile, type BriefMaterial, type VoiceProfile } from './brief';
import { asSentence, capitalize, distinct, hashtagAllowed, hashtagOf, inSentence, joinList, type Random, titleCase, truncate, withoutEndPunctuation, type Measure } from './text';

/** A part of a body: `drop` > 0 may be left out when the body is too long (highest first); `shrink` is cut last. */
export interface Part {
  text: string;
  drop: number;
  shrink?: boolean;
}

/** The parts joined by `separator`, within `limit`: optional parts left out, then the shrinkable part cut. */
export function fitParts(parts: readonly Part[], separator: string, limit: number, measure: Measure): string {
  let current = parts.filter((p) => p.text.trim());
  const join = (list: readonly Part[]) => list.map((p) => p.text).join(separator).trim();
  while (measure(join(current)) > limit) {
    const droppable = current.filter((p) => p.drop > 0);
    if (droppable.length === 0) break;
    const top = Math.max(...droppable.map((p) => p.drop));
    const victim = droppable.filter((p) => p.drop === top).at(-1);
    current = current.filter((p) => p !== victim);
  }
  if (measure(join(current)) > limit) {
    const target = current.find((p) => p.shrink) ?? current.reduce((a, b) => (measure(b.text) > measure(a.text) ? b : a));
    const rest = measure(join(current)) - measure(target.text);
    current = current.map((p) => (p === target ? { ...p, text: truncate(p.text, Math.max(1, limit - rest), measure) } : p));
  }
  const body = join(current);
  return measure(body) <= limit ? body : truncate(body, limit, measure);
}

export function measureFor(channel: Channel): Measure {
  return (text) => channelLength(channel, text);
}

/** Calls to action that invent nothing: by channel, with a link and without. */
const CALLS: Record<Channel, { link: string[]; none: string[] }> = {
  X: { link: ['Read more', 'See how it works', 'Find out more'], none: ['Tell us what you think', 'Reply with your questions', 'Share it with someone who needs it'] },
  LINKEDIN: {
    link: ['Read the full story', 'See how it works', 'Find out more'],
    none: ['What would you add? Tell us in the comments', 'Share this with your team', 'Follow {brand} for more'],
  },
  FACEBOOK: { link: ['Find out more', 'Read more', 'See how it works'], none: ['Tell us in the comments', 'Share this with a friend who needs it'] },
  INSTAGRAM: { link: ['Link in bio'], none: ['Save this post for later', 'Tell us in the comments', 'Follow {brand} for more'] },
  TIKTOK: { link: ['Link in bio'], none: ['Follow {brand} for more', 'Tell us in the comments'] },
  EMAIL: { link: ['Read more', 'See how it works', 'Find out more'], none: ['Reply to this email with your questions', 'Reply and tell us what you think'] },
  BLOG: { link: ['Find out more', 'See how it works'], none: ['Subscribe for more articles like this', 'Share this article with your team'] },
};

export function callsFor(channel: Channel, hasLink: boolean, brand: Brand): string[] {
  return CALLS[channel][hasLink ? 'link' : 'none'].map((c) => c.replace('{brand}', brand.name));
}

/** `tag` appears in `text` as a whole hashtag. */
export function hasTag(text: string, tag: string): boolean {
  return text.split(/[\s,.;:!?()]+/u).includes(tag);
}

/** Instagram and TikTok captions show no clickable link. */
export function linkShown(channel: Channel): boolean {
  return channel !== 'INSTAGRAM' && channel !== 'TIKTOK';
}

/** The call to action as the body shows it: 'Read more: https://…' or 'Tell us what you think.' */
export function ctaLine(cta: string, link: string, channel: Channel): string {
  const base = withoutEndPunctuation(cta);
  if (!base) return '';
  if (link && linkShown(channel) && !cta.includes(link)) return `${base}: ${link}`;
  return /[?!]$/u.test(cta.trim()) ? cta.trim() : `${base}.`;
}

export function hashtagsFor(channel: Channel, keywords: readonly string[], brand: Brand): string[] {
  const max = CHANNEL_LIMITS[channel].hashtags;
  if (max === 0) return [];
  const candidates = [...keywords, ...(channel === 'BLOG' ? [] : [brand.name])].map(hashtagOf).filter((t): t is string => !!t);
  return distinct(candidates)
    .filter((tag) => hashtagAllowed(tag, brand.wordsToAvoid))
    .slice(0, max);
}

/** The opening sentence: the subject, framed as news when the brief announces something. */
function lead(material: BriefMaterial, voice: VoiceProfile, rng: Random): string {
  const subject = material.subject;
  const end = voice.playful && !voice.formal ? '!' : '.';
  if (material.announcement) {
    const frames = voice.formal ? ['Introducing {s}', 'We are pleased to introduce {s}'] : voice.playful ? ['Say hello to {s}', 'Meet {s}'] : ['Meet {s}', 'Introducing {s}'];
    const framed = rng.pick(frames).replace('{s}', subject.replace(/^(?:our|the)\s+new\s+/iu, (m) => (/^our/iu.test(m) ? 'our new ' : 'the new ')));
    return `${capitalize(framed)}${end}`;
  }
  if (isNounPhrase(subject)) {
    const frames = voice.formal ? ['An overview of {s}', 'A note on {s}'] : voice.playful ? ["Let's talk about {s}", 'All about {s}'] : ['A closer look at {s}', 'Here is {s}'];
    return `${capitalize(rng.pick(frames).replace('{s}', inSentence(subject)))}${end}`;
  }
  return asSentence(subject).replace(/\.$/u, end);
}

/** 'our quarterly compliance report' (a thing), not 'our sale starts Monday' (a statement). */
function isNounPhrase(text: string): boolean {
  const tokens = text.split(/\s+/u);
  if (tokens.length > 8 || /[:;,]/u.test(text)) return false;
  if (!/^(?:our|the|a|an|this|these|your|its|their|my)$/iu.test(tokens[0] ?? '')) return false;
  return !/\b(?:is|are|was|were|has|have|had|can|will|would|does|do|did|starts?|opens?|ends?|launch(?:es)?|works?|makes?|gives?|lets?|helps?|saves?|gets?|comes?|goes?|brings?|offers?|includes?|covers?)\b/iu.test(text);
}

/** A sentence about who it is for (nothing when the audience is unknown). */
function audienceLine(material: BriefMaterial, voice: VoiceProfile, brand: Brand, rng: Random): string {
  if (!material.audience) return rng.pick(['Here is what {b} wants you to know.', 'A word from {b}.']).replace('{b}', brand.name);
  const frames = voice.formal
    ? ['{b} prepared this for {a}.', 'At {b}, we wrote this with {a} in mind.']
    : voice.warm || voice.playful
      ? ['At {b}, we made this for {a}.', 'For {a}, here is what matters, from all of us at {b}.']
      : ['For {a}, here is what matters.', '{b} made this for {a}.'];
  return rng.pick(frames).replace('{a}', material.audience).replace('{b}', brand.name);
}

/** The brand's words to use, as one line (nothing when there are none). */
function wordsLine(material: BriefMaterial, voice: VoiceProfile, short: boolean): string {
  const list = material.wordsToUse.slice(0, short ? 2 : 4);
  if (list.length === 0) return '';
  if (short || (voice.playful && !voice.formal)) return list.map((w) => asSentence(w)).join(' ');
  return `In short: ${joinList(list)}.`;
}

function title(channel: Channel, material: BriefMaterial, brand: Brand, rng: Random): string {
  const limit = CHANNEL_LIMITS[channel].title;
  const topic = material.topic;
  let candidates: string[];
  if (channel === 'BLOG') {
    candidates = [titleCase(capitalize(topic)), material.audience ? `${titleCase(capitalize(topic))}: What ${titleCase(material.audience)} Should Know` : `Why ${titleCase(topic)} Matters`];
  } else if (channel === 'EMAIL') {
    candidates = [capitalize(topic), `${brand.name}: ${topic}`, material.announcement ? `New from ${brand.name}: ${topic}` : `${capitalize(topic)}: what you need to know`];
  } else {
    candidates = [capitalize(topic)];
  }
  const fitting = candidates.filter((c) => c.length <= Math.min(limit, channel === 'EMAIL' ? 70 : limit));
  const chosen = fitting.length > 0 ? rng.pick(fitting) : truncate(candidates[0] ?? brand.name, limit);
  return chosen || brand.name;
}

export function generateContent(input: ContentInput, rng: Random): ContentOutput {
  const { brand, channel } = input;
  const voice = voiceProfile(brand.voice);
  const material = readBrief(input.brief, brand, input.keywords);
  const limits = CHANNEL_LIMITS[channel];
  const measure = measureFor(channel);
  const link = input.link;
  const callToAction = withoutEndPunctuation(input.callToAction) || rng.pick(callsFor(channel, !!link, brand));
  const cta = ctaLine(callToAction, link, channel);
  const tags = hashtagsFor(channel, material.keywords, brand);
  const opening = lead(material, voice, rng);
  const details = material.details;
  const forYou = audienceLine(material, voice, brand, rng);
  const words = wordsLine(material, voice, channel === 'X' || channel === 'INSTAGRAM' || channel === 'TIKTOK');
  let copy: Part[];
  /** The hashtags the body ends with (a blog's are its tags, outside the body; an email has none). */
  let shown: string[] = tags;
  switch (channel) {
    case 'X':
      copy = [
        { text: opening, drop: 0, shrink: true },
        { text: details[0] ?? '', drop: 3 },
        { text: words, drop: 4 },
        { text: cta, drop: 0 },
      ];
      break;
    case 'LINKEDIN':
      copy = [
        { text: opening, drop: 0, shrink: true },
        { text: forYou, drop: 6 },
        { text: details.slice(0, 2).join(' '), drop: 3 },
        { text: details.slice(2, 7).map((d) => `→ ${d}`).join('\n'), drop: 5 },
        { text: words, drop: 4 },
        { text: cta, drop: 0 },
      ];
      break;
    case 'FACEBOOK':
      copy = [
        { text: opening, drop: 0, shrink: true },
        { text: details.slice(0, 3).join(' '), drop: 3 },
        { text: details.slice(3, 8).join(' '), drop: 5 },
        { text: forYou, drop: 6 },
        { text: words, drop: 4 },
        { text: cta, drop: 0 },
      ];
      shown = tags.slice(0, 3);
      break;
    case 'INSTAGRAM':
    case 'TIKTOK':
      copy = [
        { text: opening, drop: 0, shrink: true },
        { text: details.slice(0, channel === 'TIKTOK' ? 1 : 4).join('\n'), drop: 3 },
        { text: words, drop: 4 },
        { text: cta, drop: 0 },
      ];
      break;
    case 'EMAIL':
      copy = [
        { text: voice.formal ? 'Hello,' : 'Hi there,', drop: 0 },
        { text: opening, drop: 0, shrink: true },
        { text: forYou, drop: 6 },
        ...chunk(details, 2).map((group, i) => ({ text: group.join(' '), drop: 3 + i })),
        { text: words, drop: 4 },
        { text: cta, drop: 0 },
        { text: `${voice.formal ? 'Kind regards' : voice.playful ? 'Cheers' : voice.warm ? 'Warmly' : 'Best'},\nThe ${brand.name} team`, drop: 0 },
      ];
      shown = [];
      break;
    case 'BLOG':
      copy = blogParts(material, voice, opening, forYou, words, cta, rng);
      shown = [];
      break;
  }
  const body = fitWithTags(copy, channel === 'X' ? ' ' : '\n\n', shown, limits.body, measure);
  const hashtags = channel === 'BLOG' ? tags : tags.filter((t) => hasTag(body, t));
  return { title: title(channel, material, brand, rng), body, callToAction: truncate(callToAction, 200), hashtags };
}

/**
 * Copy, then a line of hashtags: optional parts of the copy are left out first (see `fitParts`), then hashtags
 * (the last first) when even the shortest copy would not fit beside them; the shrinkable part is cut last.
 */
export function fitWithTags(parts: readonly Part[], separator: string, tags: readonly string[], limit: number, measure: Measure): string {
  const required = parts.filter((p) => p.drop === 0 && !p.shrink && p.text.trim());
  const shrinkable = parts.find((p) => p.shrink);
  for (let count = tags.length; count > 0; count--) {
    const tagLine = tags.slice(0, count).join(' ');
    const budget = limit - measure(tagLine) - 2;
    const minimum = required.reduce((sum, p) => sum + measure(p.text) + separator.length, 0) + Math.min(measure(shrinkable?.text ?? ''), 60);
    if (minimum > budget) continue;
    return `${fitParts(parts, separator, budget, measure)}\n\n${tagLine}`;
  }
  return fitParts(parts, separator, limit, measure);
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const groups: T[][] = [];
  for (let i = 0; i < items.length; i += size) groups.push(items.slice(i, i + size));
  return groups;
}

/** An article: an introduction, a section per keyword the brief develops, the remaining details, a close. */
function blogParts(material: BriefMaterial, voice: VoiceProfile, opening: string, forYou: string, words: string, cta: string, rng: Random): Part[] {
  const remaining = [...material.details];
  const intro = [opening, remaining.shift() ?? '', forYou].filter(Boolean).join(' ');
  const sections: Part[] = [];
  for (const keyword of material.keywords.slice(0, 4)) {
    const about = remaining.filter((d) => d.toLowerCase().includes(keyword.toLowerCase()));
    if (about.length === 0) continue;
    for (const d of about) remaining.splice(remaining.indexOf(d), 1);
    sections.push({ text: `## ${titleCase(capitalize(keyword))}\n\n${about.join(' ')}`, drop: 3 + sections.length });
  }
  if (remaining.length > 0) {
    const heading = rng.pick(voice.formal ? ['Key points', 'The details'] : ['The details', 'What you should know']);
    sections.push({ text: `## ${heading}\n\n${remaining.map((d) => `- ${d}`).join('\n')}`, drop: 2 });
  }
  const closing = rng.pick(voice.formal ? ['## Next steps', '## In summary'] : ["## What's next", '## The bottom line']);
  return [
    { text: intro, drop: 0, shrink: true },
    ...sections,
    { text: [closing, [words, cta].filter(Boolean).join(' ')].join('\n\n'), drop: 0 },
  ];
}
