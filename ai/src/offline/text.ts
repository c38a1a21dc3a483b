/**
 * The offline generator's text tools: a seeded random source (the same input always gives the same output),
 * sentences and keywords read from user text, the brand's words to avoid scrubbed from anything written, and the
 * instructions-to-an-AI a brief may carry recognised, so they never become content.
 */
import { createHash } from 'node:crypto';

/** JSON with sorted keys: the same value always gives the same text. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** A small seeded generator (mulberry32), seeded from a hash of the input. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  static of(...parts: unknown[]): Random {
    const digest = createHash('sha256').update(stableJson(parts)).digest();
    return new Random(digest.readUInt32BE(0));
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(below: number): number {
    return Math.floor(this.next() * below);
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(items.length)] as T;
  }

  shuffle<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
    }
    return copy;
  }
}

export const STOPWORDS = new Set(
  `a about above after again against all almost also although always am among an and any are aren't around as at be
  because been before being below between both but by can can't cannot could couldn't did didn't do does doesn't doing
  don't down during each either else even ever every few for from further get gets got had hadn't has hasn't have haven't
  having he her here hers herself him himself his how however i if in into is isn't it it's its itself just least less
  let like made make makes many may me might more most much must my myself need needs no nor not now of off often on
  once one only or other others our ours ourselves out over own per perhaps please quite rather really same shall she
  should so some such than that that's the their theirs them themselves then there there's these they they're this
  those through thus to too under until up upon us use used using very via was wasn't we we're well were weren't what
  when where whether which while who whom whose why will with within without would wouldn't yet you you're your yours
  yourself yourselves also etc just one two three new way ways thing things lot lots back small big good great best
  better built made know see want like let take give come go keep find try start stop sure right real lets`.split(/\s+/),
);

/** Words that describe the writing job rather than its subject: never keywords. */
const BRIEF_WORDS = new Set(
  `write writing written create draft post posts tweet tweets thread email emails newsletter article articles blog piece
  pieces caption copy content announce announcing announcement promote promoting introduce introducing share highlight
  mention explain tell include focus target audience readers reader campaign channel brand tone voice want wants goal
  goals cta call action short long quick week weeks today tomorrow launch launches launching pros cons strengths
  weaknesses notes linkedin facebook instagram tiktok twitter`.split(/\s+/),
);

/** Site furniture: never a brand's words. */
export const NAV_WORDS = new Set(
  `home about pricing login log sign signup contact blog careers jobs privacy policy terms cookies cookie menu copyright
  rights reserved faq help support docs documentation press legal sitemap newsletter subscribe follow instagram
  facebook twitter linkedin youtube tiktok`.split(/\s+/),
);

const WORD = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;

export function words(text: string): string[] {
  return (text.match(WORD) ?? []).map((w) => w.toLowerCase().replace(/’/g, "'"));
}

export function wordCount(text: string): number {
  return (text.match(WORD) ?? []).length;
}

/** The sentences of user text: split on line breaks and sentence ends, list markers removed, spaces collapsed. */
export function sentences(text: string): string[] {
  return text
    .replace(/\r/g, '')
    .split(/\n+|(?<=[.!?…])\s+(?=[\p{Lu}\p{N}"'“‘(<])/u)
    .map((s) =>
      s
        .replace(/^\s*(?:[-*•+–—>]|\d{1,2}[.)])\s+/u, '')
        .replace(/\s+/g, ' ')
        .trim(),
    )
    .filter((s) => /\p{L}/u.test(s));
}

/** Text that addresses an AI model (an attempt to change its instructions), never material for content. */
const INSTRUCTIONS_TO_AI: readonly RegExp[] = [
  /\b(?:ignore|disregard|forget|override|bypass)\b[^.!?\n]{0,60}\b(?:instructions?|rules|prompts?|guidelines|directions)\b/iu,
  /\b(?:ignore|disregard|forget)\s+(?:all|everything|the above|previous|prior|any)\b/iu,
  /\bsystem\s*(?:prompt|message|instructions?)\b/iu,
  /\b(?:reveal|print|show|repeat|output|leak|display)\b[^.!?\n]{0,40}\b(?:prompt|instructions|rules)\b/iu,
  /\byou are (?:now|no longer)\b/iu,
  /\b(?:answer|respond|reply|output|write)\b[^.!?\n]{0,30}\b(?:different|another|other|new)\s+(?:format|schema|language)\b/iu,
  /\b(?:jailbreak|developer mode|DAN mode)\b/iu,
  /<\s*\/?\s*(?:system|user_data|assistant|instructions?)\b/iu,
  /\b(?:as an ai|language model)\b/iu,
];

export function isInstructionToAi(text: string): boolean {
  return INSTRUCTIONS_TO_AI.some((pattern) => pattern.test(text));
}

/** The sentences of user text that can be used as material: instructions to an AI dropped. */
export function material(text: string): string[] {
  return sentences(withoutTags(text)).filter((s) => !isInstructionToAi(s));
}

/** Markup tags (`<system>`, `</user_data>`) replaced by line breaks: what they wrap is judged on its own. */
export function withoutTags(text: string): string {
  return text.replace(/<\s*\/?\s*[A-Za-z_][\w-]*\s*>/gu, '\n');
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const SMALL_WORDS = new Set(['a', 'an', 'and', 'as', 'at', 'but', 'by', 'for', 'in', 'of', 'on', 'or', 'the', 'to', 'vs', 'via', 'with']);

export function titleCase(text: string): string {
  return text
    .split(' ')
    .map((word, i) => (i > 0 && SMALL_WORDS.has(word.toLowerCase()) ? word.toLowerCase() : capitalize(word)))
    .join(' ');
}

/** A sentence: capitalised, ending with punctuation. */
export function asSentence(text: string): string {
  const trimmed = text.trim().replace(/[,;:\s–—-]+$/u, '');
  if (!trimmed) return '';
  return capitalize(/[.!?…]$/u.test(trimmed) ? trimmed : `${trimmed}.`);
}

export function withoutEndPunctuation(text: string): string {
  return text.trim().replace(/[.!?…,;:\s]+$/u, '');
}

/** 'a', 'a and b', 'a, b and c'. */
export function joinList(items: readonly string[], conjunction = 'and'): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}

export type Measure = (text: string) => number;
export const plainLength: Measure = (text) => text.length;

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** `text` within `budget` as `measure` counts it: cut between words, with an ellipsis when anything was cut. */
export function truncate(text: string, budget: number, measure: Measure = plainLength): string {
  if (measure(text) <= budget) return text;
  if (budget <= 1) return '';
  const tokens = text.split(/(\s+)/u);
  let best = '';
  let built = '';
  for (const token of tokens) {
    built += token;
    if (/^\s+$/u.test(token)) continue;
    const candidate = `${built.replace(/[\s,;:–—-]+$/u, '')}…`;
    if (measure(candidate) > budget) break;
    best = candidate;
  }
  if (best) return best;
  // one word longer than the budget: cut between graphemes
  let cut = '';
  for (const { segment } of graphemes.segment(text)) {
    if (measure(`${cut}${segment}…`) > budget) break;
    cut += segment;
  }
  return cut ? `${cut}…` : '';
}

/** The first `max` words of `text`, stopping early at a natural break (a clause) once `min` words are in. */
export function shortPhrase(text: string, max = 8, min = 3): string {
  const tokens = withoutEndPunctuation(text).split(/\s+/u).filter(Boolean);
  const breaks = new Set(['that', 'which', 'who', 'so', 'because', 'while', 'where', 'when', 'but', 'to', 'by', 'with']);
  const kept: string[] = [];
  for (const token of tokens) {
    if (kept.length >= max) break;
    if (kept.length >= min && breaks.has(token.toLowerCase())) break;
    kept.push(token);
    if (kept.length >= min && /[,;:–—]$/u.test(token)) break;
  }
  return withoutEndPunctuation(kept.join(' '));
}

/** A phrase as it reads inside a sentence: a leading article or possessive lower-cased. */
export function inSentence(phrase: string): string {
  const first = phrase.split(' ')[0] ?? '';
  return /^(?:a|an|the|our|your|this|these|those|my|its|their)$/i.test(first) ? phrase.charAt(0).toLowerCase() + phrase.slice(1) : phrase;
}

interface KeywordOptions {
  /** Words never returned (a brand's name, words to avoid). */
  exclude?: Iterable<string>;
  /** Drop site furniture (navigation words). */
  nav?: boolean;
}

/**
 * The words and two-word phrases that carry a text, most frequent first (ties: first seen first). A phrase that
 * repeats is kept whole and its words are not listed again.
 */
export function keywords(text: string, max: number, options: KeywordOptions = {}): string[] {
  const excluded = new Set([...(options.exclude ?? [])].flatMap((w) => words(w)));
  const meaningful = (w: string) =>
    (w.length >= 3 || /\d/u.test(w)) &&
    !/^\p{L}{4,}ly$/u.test(w) &&
    !STOPWORDS.has(w) &&
    !BRIEF_WORDS.has(w) &&
    !excluded.has(w) &&
    !(options.nav && NAV_WORDS.has(w)) &&
    !/^\d+$/u.test(w);
  const unigrams = new Map<string, { count: number; first: number; forms: string[] }>();
  const bigrams = new Map<string, { count: number; first: number }>();
  let position = 0;
  // a phrase never spans punctuation ('Friday: free' is not one)
  for (const sentence of sentences(text).flatMap((s) => s.split(/[,:;()[\]—–!?"“”]|\s-\s|\.\s/u))) {
    const tokens = sentence.match(WORD) ?? [];
    let previous: string | undefined;
    for (const [index, token] of tokens.entries()) {
      const word = token.toLowerCase().replace(/’/g, "'");
      position++;
      if (!meaningful(word)) {
        previous = undefined;
        continue;
      }
      // 'it works', 'that tracks', 'the report covers new ...': a verb, not a keyword
      const before = tokens[index - 1]?.toLowerCase() ?? '';
      const after = tokens[index + 1]?.toLowerCase() ?? '';
      const verbLike =
        /[^s]s$/u.test(word) && (/^(?:that|which|who|it|he|she)$/u.test(before) || (index > 0 && /^(?:the|a|an|new|our|your|their|its|up|every|all|more)$/u.test(after)));
      if (verbLike) {
        previous = undefined;
        continue;
      }
      const entry = unigrams.get(word) ?? { count: 0, first: position, forms: [] };
      entry.count++;
      if (index > 0) entry.forms.push(token);
      unigrams.set(word, entry);
      if (previous) {
        const key = `${previous} ${word}`;
        const pair = bigrams.get(key) ?? { count: 0, first: position - 1 };
        pair.count++;
        bigrams.set(key, pair);
      }
      previous = word;
    }
  }
  const display = (word: string) => {
    const forms = unigrams.get(word)?.forms ?? [];
    if (forms.length > 0 && forms.every((f) => f === f.toUpperCase() && /\p{Lu}/u.test(f))) return word.toUpperCase();
    if (forms.length > 0 && forms.every((f) => /^\p{Lu}/u.test(f))) return capitalize(word);
    return word;
  };
  const countOf = (word: string) => unigrams.get(word)?.count ?? 0;
  // a pair that repeats is a phrase; so is a pair of words seen nowhere else ('mobile app', 'free trial')
  const candidates = [
    ...[...bigrams.entries()]
      .filter(([key, v]) => v.count >= 2 || key.split(' ').every((w) => countOf(w) === 1))
      .map(([key, v]) => ({ key, parts: key.split(' '), count: v.count, first: v.first })),
    ...[...unigrams.entries()].map(([key, v]) => ({ key, parts: [key], count: v.count, first: v.first })),
  ].sort((a, b) => b.count - a.count || a.first - b.first || b.parts.length - a.parts.length);
  const result: string[] = [];
  const used = new Set<string>();
  for (const candidate of candidates) {
    if (result.length >= max) break;
    if (candidate.parts.some((w) => used.has(w))) continue;
    result.push(candidate.parts.map(display).join(' '));
    for (const w of candidate.parts) used.add(w);
  }
  return result;
}

/** '#PascalCase' of a phrase, or undefined when nothing is left of it. */
export function hashtagOf(phrase: string): string | undefined {
  const body = (phrase.match(/[\p{L}\p{N}]+/gu) ?? []).map((w) => (w === w.toUpperCase() ? w : capitalize(w))).join('');
  if (!body || /^\d+$/u.test(body)) return undefined;
  return `#${body.slice(0, 40)}`;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Matches a word to avoid in any common form: whole words, any spacing or hyphen, plural, tense, -ly. */
export function avoidPattern(term: string): RegExp | undefined {
  const parts = term
    .trim()
    .split(/[\s-]+/u)
    .filter(Boolean)
    .map(escapeRegex);
  if (parts.length === 0) return undefined;
  return new RegExp(`(?<![\\p{L}\\p{N}])${parts.join('[\\s-]+')}(?:s|es|d|ed|ing|er|ers|est|ly)?(?![\\p{L}\\p{N}])`, 'giu');
}

/** The words to avoid that `text` uses, each with the first form found. */
export function avoidedIn(text: string, terms: readonly string[]): { term: string; found: string; index: number }[] {
  const found: { term: string; found: string; index: number }[] = [];
  for (const term of terms) {
    const pattern = avoidPattern(term);
    const match = pattern ? pattern.exec(text) : null;
    if (match) found.push({ term, found: match[0], index: match.index });
    else if (text.startsWith('#') && compact(text).includes(compact(term)) && compact(term)) found.push({ term, found: text, index: 0 });
  }
  return found;
}

function compact(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/** A hashtag that does not contain a word to avoid, even inside a compound. */
export function hashtagAllowed(tag: string, terms: readonly string[]): boolean {
  const tagText = compact(tag);
  return !terms.some((term) => compact(term) && tagText.includes(compact(term)));
}

/** `text` with every word to avoid removed, and the spacing and punctuation left behind tidied. */
export function scrub(text: string, terms: readonly string[]): string {
  let result = text.replace(/#[^\s#]+/gu, (tag) => (hashtagAllowed(tag.replace(/[.,;:!?…]+$/u, ''), terms) ? tag : ''));
  let changed = result !== text;
  for (const term of terms) {
    const pattern = avoidPattern(term);
    if (!pattern) continue;
    const next = result.replace(pattern, '');
    if (next !== result) changed = true;
    result = next;
  }
  if (!changed) return text;
  return result
    .split('\n')
    .map((line) =>
      line
        .replace(/[ \t]{2,}/g, ' ')
        .replace(/ +([,.;:!?…])/g, '$1')
        .replace(/([,;:])(?:\s*[,;:])+/g, '$1')
        .replace(/^[ \t,;:]+/, '')
        .replace(/\b(a|an|the|and|or|of|with|for)\s*([.,;:!?])/gi, '$2')
        .replace(/[ \t]+$/, ''),
    )
    .join('\n')
    .trim();
}

/**
 * Every string of a value scrubbed of the words to avoid; hashtags that hold one are dropped from their list; a
 * string left empty becomes `fallback`. The properties named in `keep` (enum values) are left as they are.
 */
export function scrubDeep<T>(value: T, terms: readonly string[], fallback: string, keep: ReadonlySet<string> = new Set()): T {
  if (terms.length === 0) return value;
  const visit = (v: unknown): unknown => {
    if (typeof v === 'string') {
      if (!v) return v;
      const cleaned = scrub(v, terms);
      return cleaned || fallback;
    }
    if (Array.isArray(v)) {
      return v
        .filter((item) => !(typeof item === 'string' && /^#[^\s#]+$/u.test(item) && !hashtagAllowed(item, terms)))
        .map(visit);
    }
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, inner]) => [k, keep.has(k) ? inner : visit(inner)]));
    return v;
  };
  return visit(value) as T;
}

/** Distinct items (case-insensitive), in order. */
export function distinct(items: readonly string[]): string[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = item.toLowerCase();
    if (seen.has(key) || !item) return false;
    seen.add(key);
    return true;
  });
}
