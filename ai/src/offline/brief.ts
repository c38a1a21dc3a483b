/**
 * What the offline generator reads from a brand and a brief: the voice as a few traits, and the brief as a subject,
 * supporting sentences, keywords and an audience. The writer's instructions in a brief ("target freelancers",
 * "keep it short") and any instructions to an AI are not material and never reach the copy.
 */
import type { Brand } from '../prompts/common';
import { avoidedIn, capitalize, distinct, inSentence, keywords, material, shortPhrase, withoutEndPunctuation } from './text';

export interface VoiceProfile {
  /** The voice's own words ('warm', 'plain-spoken'), at most five. */
  traits: string[];
  formal: boolean;
  playful: boolean;
  warm: boolean;
  plain: boolean;
}

export function voiceProfile(voice: string): VoiceProfile {
  const text = voice.toLowerCase();
  const traits = distinct(
    text
      .split(/[,;/\n]|\band\b|\bbut\b/u)
      .map((t) => t.trim().replace(/[.!]+$/u, ''))
      .filter((t) => t && t.split(/\s+/u).length <= 4),
  ).slice(0, 5);
  return {
    traits,
    formal: /formal|professional|authoritative|expert|serious|corporate|precise|measured/u.test(text),
    playful: /playful|fun|witty|humou?r|cheeky|energetic|lively|upbeat|quirky|bold|enthusias/u.test(text),
    warm: /warm|friendly|caring|kind|approachable|empathetic|human|conversational|personal/u.test(text),
    plain: /plain|simple|clear|jargon|straightforward|direct|concise|no[- ]nonsense|honest/u.test(text),
  };
}

export interface BriefMaterial {
  /** What the piece is about, as a clause: 'our new mobile app for freelancers that tracks time automatically'. */
  subject: string;
  /** The brief announces something (a launch, a new product). */
  announcement: boolean;
  /** A few words for titles: 'our new mobile app for freelancers'. */
  topic: string;
  /** The brief's other sentences, as sentences for the copy. */
  details: string[];
  keywords: string[];
  /** Who the piece speaks to: the brand's audience, shortened ('' when unknown). */
  audience: string;
  /** The brand's words to use that are not also words to avoid. */
  wordsToUse: string[];
}

const DIRECTIVE =
  /^(?:please\s+)?(?:(?:write|create|draft|make|produce|prepare|compose)\s+(?:(?:an?|the|some|one)\s+)?(?:(?:short|quick|long|friendly|punchy|brief|detailed)\s+)*(?:linkedin\s+|x\s+|facebook\s+|instagram\s+|tiktok\s+|blog\s+)?(?:posts?|tweets?|threads?|emails?|newsletters?|articles?|blog posts?|pieces?|captions?|updates?|announcements?|copy|content|videos?)(?:\s+(?:about|on|announcing|introducing|presenting|promoting|for|that|to|explaining))?\s+|(?:announce|announces|announcing|promote|promotes|promoting|introduce|introduces|introducing|present|presents|share|shares|highlight|highlights|explain|explains|describe|describes|talk about|let (?:people|readers|everyone) know about|tell (?:people|readers|everyone|our \S+) about)\s+)/iu;
const ANNOUNCING = /\b(?:announc\w*|introduc\w*|launch\w*|unveil\w*|releas\w*|new)\b/iu;
/** A sentence that tells the writer what to do: not copy. */
const WRITER_NOTE =
  /^(?:please\s+)?(?:target|keep|use|avoid|make sure|remember|don'?t|do not|aim|write|the tone|tone|audience|goal|cta|call to action|it should|should|must|we want|i want|focus on|in a\s+\S+\s+tone|length|max|no more than)\b/iu;
/** A sentence asking to mention something: the thing itself is copy. */
const MENTION = /^(?:please\s+)?(?:mention|highlight|emphasi[sz]e|stress|include|note|point out|say|add|remind (?:them|people|readers))\s+(?:that\s+)?(.+)$/iu;

const CLAUSE = /\b(?:is|are|was|were|has|have|had|can|will|would|does|do|did|works?|makes?|gives?|lets?|helps?|saves?)\b/iu;

/** The brand's audience, short enough for a sentence: its first part when it lists several. */
export function audienceOf(brand: Brand): string {
  const audience = withoutEndPunctuation(brand.audience.split(/\n/u)[0] ?? '');
  if (!audience) return '';
  if (audience.split(/\s+/u).length <= 6) return inSentence(audience);
  return inSentence(shortPhrase(audience.split(/[,;(]/u)[0] ?? audience, 6, 2));
}

export function readBrief(brief: string, brand: Brand, givenKeywords: readonly string[] = []): BriefMaterial {
  const all = material(brief);
  let subject = '';
  let announcement = false;
  const details: string[] = [];
  for (const sentence of all) {
    if (!subject) {
      let stripped = sentence;
      for (let i = 0; i < 2; i++) {
        const match = DIRECTIVE.exec(stripped);
        if (!match) break;
        if (ANNOUNCING.test(match[0])) announcement = true;
        stripped = stripped.slice(match[0].length).replace(/^(?:that|how|why)\s+/iu, '');
      }
      if (WRITER_NOTE.test(stripped) && stripped === sentence) continue;
      subject = withoutEndPunctuation(stripped);
      if (/^(?:our|a|an|the)\s+new\b/iu.test(subject)) announcement = true;
      continue;
    }
    if (WRITER_NOTE.test(sentence)) continue;
    const mention = MENTION.exec(sentence);
    let detail = mention?.[1] ? mention[1] : sentence;
    // "mention the free trial": a thing to point at, not a sentence
    if (mention?.[1] && /^(?:the|a|an|our|its|their|your|this|these)\s/iu.test(detail) && !CLAUSE.test(detail)) detail = `Plus: ${withoutEndPunctuation(detail)}`;
    if (/\p{L}{2}/u.test(detail)) details.push(capitalize(detail.trim()).replace(/([^.!?…])$/u, '$1.'));
  }
  if (!subject) subject = `what's new at ${brand.name}`;
  subject = inSentence(subject);
  const exclude = [brand.name, ...brand.wordsToAvoid];
  const fromBrief = keywords(all.join('\n'), 5, { exclude });
  const keywordList = distinct([...givenKeywords, ...(givenKeywords.length > 0 ? [] : fromBrief)]).filter((k) => avoidedIn(k, brand.wordsToAvoid).length === 0);
  return {
    subject,
    announcement,
    topic: shortPhrase(subject, 8, 3),
    details: distinct(details).slice(0, 12),
    keywords: keywordList.slice(0, 8),
    audience: audienceOf(brand),
    wordsToUse: brand.wordsToUse.filter((w) => avoidedIn(w, brand.wordsToAvoid).length === 0),
  };
}
