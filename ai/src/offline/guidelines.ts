/**
 * Offline brand guidelines, read from a website's text: the tone from measurable habits (sentence length, "you"
 * and "we", contractions, exclamations, questions, figures, technical and warm vocabulary), the words to use from
 * the text's most frequent meaningful words, the audience from "built for ..." phrases, the value propositions
 * from the sentences that promise the most.
 */
import type { BrandGuidelinesInput, BrandGuidelinesOutput } from '../prompts/brand-guidelines';
import { avoidPattern, capitalize, distinct, joinList, keywords, material, truncate, withoutEndPunctuation, words } from './text';

const CLICHES = ['synergy', 'revolutionary', 'game-changer', 'world-class', 'cutting-edge', 'best-in-class', 'leverage', 'disruptive', 'paradigm', 'next-generation', 'seamless', 'robust'];
const FORMAL_WORDS = ['utilize', 'facilitate', 'henceforth', 'aforementioned', 'endeavour', 'herein'];
const CASUAL_WORDS = ['awesome', 'super', 'gonna', 'stuff', 'guys', 'crazy'];
const FORMAL_MARKERS = /\b(?:therefore|furthermore|moreover|hereby|pursuant|accordingly|thus|whilst|shall|henceforth)\b/giu;
const CONTRACTIONS = /\b\p{L}+(?:'|’)(?:re|ll|ve|m|d|t)\b/giu;
const TECHNICAL = new Set(['api', 'apis', 'platform', 'integration', 'integrations', 'data', 'cloud', 'software', 'analytics', 'automation', 'sdk', 'infrastructure', 'security', 'compliance', 'workflow', 'workflows', 'dashboard', 'deploy', 'scalable']);
const WARM = new Set(['help', 'helps', 'care', 'love', 'together', 'community', 'friendly', 'happy', 'support', 'welcome', 'family', 'families', 'people', 'team']);
const AUDIENCE_NOUNS =
  'teams|businesses|companies|founders|developers|designers|marketers|freelancers|families|parents|students|creators|agencies|shops|stores|retailers|startups|professionals|people|owners|brands|engineers|leaders|managers|clinics|restaurants|nonprofits|schools|customers|users|writers|artists|makers|homeowners|travellers|travelers|athletes|runners|kids|children|pets|dogs|cats|patients|doctors|teachers|sellers|buyers|investors|enterprises|organisations|organizations';
const AUDIENCE = new RegExp(
  `\\b(?:for|built for|made for|designed for|helps?|helping|trusted by|loved by|used by|serving|serves|works with|(?:services|solutions|software|tools|products|advice|support) to)\\s+((?:[\\p{L}-]+\\s+){0,3}(?:${AUDIENCE_NOUNS})(?:\\s+(?:in|at|of)\\s+(?:[\\p{L}-]+\\s+){0,2}(?:companies|businesses|organisations|organizations|firms|agencies|industries|sectors?|startups))?)\\b`,
  'giu',
);
const BENEFIT = /\b(?:save[sd]?|faster|fast|easy|easier|simple|simpler|without|free|more|less|better|help[s]?|get|grow|reduce|cut|never|every|minutes|automatic(?:ally)?|secure|trusted|you|your)\b|\d+\s?%|\d/giu;

export function generateGuidelines(input: BrandGuidelinesInput): BrandGuidelinesOutput {
  const { brandName, websiteText } = input;
  const all = material(websiteText);
  const prose = all.filter((s) => words(s).length >= 4);
  const text = all.join('\n');
  const tokens = words(text);
  const total = Math.max(1, tokens.length);
  const rate = (n: number) => n / total;
  const count = (pattern: RegExp) => (text.match(pattern) ?? []).length;

  const lengths = prose.map((s) => words(s).length);
  const average = lengths.length > 0 ? lengths.reduce((a, b) => a + b, 0) / lengths.length : 0;
  const you = tokens.filter((t) => /^(?:you|your|you're|yours|yourself)$/u.test(t)).length;
  const we = tokens.filter((t) => /^(?:we|our|us|we're|ours)$/u.test(t)).length;
  const exclamations = count(/!/gu) / Math.max(1, all.length);
  const questions = count(/\?/gu) / Math.max(1, all.length);
  const contractions = rate(count(CONTRACTIONS));
  const formalMarkers = count(FORMAL_MARKERS);
  const figures = rate(count(/\d+(?:[.,]\d+)?\s?%?/gu));
  const technical = rate(tokens.filter((t) => TECHNICAL.has(t)).length);
  const warm = rate(tokens.filter((t) => WARM.has(t)).length);

  const tone: string[] = [];
  if (rate(you) > 0.02) tone.push('direct');
  if (contractions > 0.004 || exclamations > 0.1) tone.push('conversational');
  else if (formalMarkers > 0 || (average > 18 && contractions === 0)) tone.push('formal');
  if (average > 0 && average <= 14) tone.push('concise');
  else if (average > 22) tone.push('detailed');
  if (exclamations > 0.15) tone.push('energetic');
  if (warm > 0.015) tone.push('warm');
  if (technical > 0.015) tone.push('technical');
  if (figures > 0.01) tone.push('data-driven');
  if (questions > 0.1) tone.push('inquisitive');
  if (rate(we) > 0.02) tone.push('personal');
  if (tone.length === 0) tone.push('neutral');

  const habits: string[] = [];
  if (average > 0) habits.push(`${average <= 14 ? 'short' : average <= 22 ? 'medium-length' : 'long'} sentences (about ${Math.round(average)} words)`);
  if (you > 0) habits.push('speaks to the reader as "you"');
  if (we > 0) habits.push('speaks as "we"');
  if (contractions > 0.004) habits.push('uses contractions');
  else if (tone.includes('formal')) habits.push('avoids contractions');
  if (exclamations > 0.1) habits.push('uses exclamation marks');
  const voice = truncate(`${capitalize(joinList(tone.slice(0, 3)))}: ${habits.join(', ') || 'the text is too short to say more'}.`, 300);

  const exclude = [brandName, ...words(brandName)];
  const wordsToUse = keywords(text, 12, { exclude, nav: true }).filter((w) => w.length <= 60);
  const present = (term: string) => avoidPattern(term)?.test(text) ?? false;
  const styleClash = tone.includes('formal') ? CASUAL_WORDS : tone.includes('conversational') || tone.includes('concise') ? FORMAL_WORDS : [];
  const wordsToAvoid = distinct([...CLICHES.slice(0, 6), ...styleClash.slice(0, 4), ...CLICHES.slice(6)])
    .filter((w) => !present(w) && !wordsToUse.some((u) => u.toLowerCase() === w))
    .slice(0, 10);

  const audiences = distinct([...text.matchAll(AUDIENCE)].map((m) => withoutEndPunctuation(m[1] ?? '').toLowerCase()).filter((a) => !/^(?:our|the|your|all|more|its)\s/u.test(a) || a.split(' ').length > 2)).slice(0, 3);
  const audience = truncate(
    audiences.length > 0
      ? `${capitalize(joinList(audiences))}, as the site names them${rate(you) > 0.02 ? ', addressed directly' : ''}.`
      : `People looking for ${joinList(wordsToUse.slice(0, 2)) || 'what ' + brandName + ' offers'}; the site does not name its audience explicitly.`,
    400,
  );

  const promises = prose
    .filter((s) => words(s).length >= 5 && words(s).length <= 35)
    .map((s, i) => ({ s, i, score: (s.match(BENEFIT) ?? []).length }))
    .filter((x) => x.score > 0)
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .slice(0, 4)
    .sort((a, b) => a.i - b.i)
    .map((x) => truncate(x.s, 300));
  const valuePropositions = promises.length > 0 ? distinct(promises) : (prose.length > 0 ? prose : all).slice(0, 2).map((s) => truncate(s, 300));
  if (valuePropositions.length === 0) valuePropositions.push(truncate(`${brandName}: ${joinList(wordsToUse.slice(0, 3)) || 'what the site offers'}.`, 300));

  const summary = truncate(
    `${brandName} writes in a ${joinList(tone.slice(0, 3))} voice for ${audiences.length > 0 ? joinList(audiences) : 'a broad audience'}.` +
      (wordsToUse.length > 0 ? ` Its recurring words: ${joinList(wordsToUse.slice(0, 5))}.` : '') +
      ` Its main promise: ${withoutEndPunctuation(valuePropositions[0] ?? '')}.`,
    600,
  );
  return { voice, tone: tone.slice(0, 6), wordsToUse, wordsToAvoid, audience, valuePropositions: valuePropositions.slice(0, 6), summary };
}
