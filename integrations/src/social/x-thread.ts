/**
 * How X counts a post's length, and splitting a long post into a thread of posts X accepts.
 *
 * X does not count UTF-16 units or code points: it counts a "weighted length" (twitter-text's v3 configuration,
 * https://docs.x.com/resources/fundamentals/counting-characters): after NFC normalization, code points in a few
 * ranges (Latin, Greek, Cyrillic, ..., general punctuation) weigh 1, every other code point (CJK, most symbols)
 * weighs 2, an emoji (including a ZWJ sequence, a flag, a skin tone) weighs 2 as a whole, and every URL weighs 23,
 * whatever its length, because X wraps it in a t.co link. A post may weigh at most 280.
 *
 * Where this count is approximate, it errs on the long side, so a part it accepts is never refused for length:
 * - any token that looks like a domain (`example.com`, `docs.example.org/path`, but also `Node.js`) counts as a URL
 *   (23), since X links bare domains with a known TLD and we do not carry X's TLD list;
 * - characters that end a URL in prose (`.`, `,`, `)`, ...) are counted beside the URL, not inside its 23;
 * - a keycap or a lone pictographic character in the Latin ranges (©, ®) counts as 2.
 */

export const X_MAX_WEIGHTED_LENGTH = 280;
/** What X counts for every URL: the length of its t.co link. */
export const X_URL_WEIGHT = 23;

/** The code point ranges X counts as 1 (twitter-text v3 `ranges`); everything else counts as 2. */
const LIGHT_RANGES: readonly (readonly [number, number])[] = [
  [0, 4351],
  [8192, 8205],
  [8208, 8223],
  [8242, 8247],
];

/** A URL with a scheme, or a bare domain (`label.label.tld`, optionally a port and a path). */
const URL_LIKE = /(?:https?:\/\/[^\s]+|(?<![\p{L}\p{N}@._-])(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+\p{L}{2,}(?::\d{1,5})?(?:\/[^\s]*)?)/giu;
/** Punctuation that ends a sentence around a URL rather than belonging to it. */
const URL_TRAILING = /[.,:;!?'")\]}>]+$/u;
const EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}/u;

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

function codePointWeight(codePoint: number): number {
  return LIGHT_RANGES.some(([start, end]) => codePoint >= start && codePoint <= end) ? 1 : 2;
}

/** The weight of text that holds no URL. */
function plainWeight(text: string): number {
  let weight = 0;
  for (const { segment } of graphemes.segment(text)) {
    if (EMOJI.test(segment)) {
      weight += 2;
      continue;
    }
    for (const char of segment) weight += codePointWeight(char.codePointAt(0) ?? 0);
  }
  return weight;
}

/** The length X counts for `text` (at most 280 for one post). */
export function xWeightedLength(text: string): number {
  const normalized = text.normalize('NFC');
  let weight = 0;
  let last = 0;
  for (const match of normalized.matchAll(URL_LIKE)) {
    const url = match[0].replace(URL_TRAILING, '');
    if (!url) continue;
    weight += plainWeight(normalized.slice(last, match.index)) + X_URL_WEIGHT;
    last = match.index + url.length;
  }
  return weight + plainWeight(normalized.slice(last));
}

export interface ThreadOptions {
  /** The weighted length each part may have (default 280). */
  maxLength?: number;
  /** Append " i/n" to each part of a thread (default true; a post that fits in one part is never numbered). */
  numbering?: boolean;
}

/**
 * Splits `text` into posts of at most `maxLength` (X's weighted length), on whitespace: a word is never cut, except
 * one that alone is longer than a part (a 300-character token), cut between graphemes. The whitespace inside a part
 * is kept as written (line breaks stay); the whitespace where the text is split is dropped. When the text needs more
 * than one part, each part ends with " i/n" (counted in its length). Text that fits is returned as one part, trimmed.
 */
export function splitThread(text: string, options: ThreadOptions = {}): string[] {
  const maxLength = options.maxLength ?? X_MAX_WEIGHTED_LENGTH;
  const numbering = options.numbering ?? true;
  const normalized = text.normalize('NFC').trim();
  if (!normalized) return [];
  if (xWeightedLength(normalized) <= maxLength) return [normalized];
  if (!numbering) return pack(normalized, maxLength);
  // " i/n" takes 2 + 2 × (digits of n) at most: assume 1 digit, and try again with more if the thread is longer.
  for (let digits = 1; ; digits += 1) {
    const budget = maxLength - (2 + 2 * digits);
    if (budget < 1) throw new RangeError(`a part of ${maxLength} leaves no room for the numbering`);
    const parts = pack(normalized, budget);
    if (String(parts.length).length <= digits) return parts.map((part, i) => `${part} ${i + 1}/${parts.length}`);
  }
}

/**
 * Greedy packing of words into parts of at most `budget`. Weights add up across whitespace (a URL, an emoji or a
 * grapheme never spans it, and the text is already NFC), so each word is weighed once.
 */
function pack(text: string, budget: number): string[] {
  const parts: string[] = [];
  let current = '';
  let weight = 0;
  let separator = '';
  for (const token of text.split(/(\s+)/u)) {
    if (!token) continue;
    if (/^\s+$/u.test(token)) {
      separator = token;
      continue;
    }
    const tokenWeight = xWeightedLength(token);
    const joined = weight + xWeightedLength(separator) + tokenWeight;
    if (current && joined <= budget) {
      current += separator + token;
      weight = joined;
      continue;
    }
    if (current) parts.push(current);
    current = token;
    weight = tokenWeight;
    if (weight > budget) {
      // Only a single token longer than a whole part gets here: cut it where it must be cut.
      const pieces = cutWord(token, budget);
      current = pieces.pop() ?? '';
      weight = xWeightedLength(current);
      parts.push(...pieces);
    }
  }
  if (current) parts.push(current);
  return parts;
}

/** Cuts one over-long word into pieces of at most `budget`, between graphemes. */
function cutWord(word: string, budget: number): string[] {
  const pieces: string[] = [];
  let piece = '';
  for (const { segment } of graphemes.segment(word)) {
    if (piece && xWeightedLength(piece + segment) > budget) {
      pieces.push(piece);
      piece = '';
    }
    piece += segment;
  }
  if (piece) pieces.push(piece);
  return pieces;
}
