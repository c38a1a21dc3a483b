/**
 * Offline competitor analysis: each note sorted into strengths and weaknesses ("+"/"-" and "Pros:"/"Cons:" as
 * written, otherwise by the words it uses), the positioning from what the notes say about focus and target, the
 * weaknesses grouped by theme into openings for the brand, and a position built on those openings.
 */
import type { CompetitorAnalysisInput, CompetitorAnalysisOutput } from '../prompts/competitor-analysis';
import { audienceOf, voiceProfile } from './brief';
import { capitalize, distinct, isInstructionToAi, joinList, keywords, material, type Random, sentences, truncate, withoutEndPunctuation, withoutTags } from './text';

const POSITIVE =
  /\b(?:strong|fast|quick|great|good|popular|leader|leading|loved|large|big|excellent|easy|intuitive|affordable|cheap|low[- ]cost|free|integrat\w*|trusted|established|growing|innovative|best|wide|many|quality|reliable|secure|praised|award\w*|polished|powerful|well[- ]known|beautiful|responsive|generous)\b/giu;
const NEGATIVE =
  /\b(?:slow|expensive|pricey|costly|lacks?|lacking|poor|weak|limited|complex|complicated|hard|difficult|confusing|outdated|old|bugs?|buggy|complain\w*|churn|missing|few|bad|clunky|unreliable|downtime|rigid|hidden fees?|no|not|never|steep|dated|slowly|frustrat\w*|cancel\w*)\b/giu;
const POSITIONING = /\b(?:target\w*|position\w*|focus\w*|aim\w*|market\w* (?:to|at)|for (?:enterprises?|small|teams|agencies|developers|freelancers|startups|businesses)|premium|budget|enterprise|niche|specialis\w*|speciali\w*)\b/iu;

const THEMES: { id: string; pattern: RegExp; title: string; advice: string; differentiator: string }[] = [
  { id: 'price', pattern: /\b(?:expensive|pric\w*|cost\w*|fees?|pay\w*|plans?)\b/iu, title: 'Win on clear, fair pricing', advice: 'Make pricing simple to read and to predict, and say so plainly where buyers compare.', differentiator: 'Clear, predictable pricing' },
  { id: 'ease', pattern: /\b(?:complex|complicated|hard|difficult|confusing|learning curve|clunky|steep|setup|onboarding)\b/iu, title: 'Be the easy one to start with', advice: 'Show how quickly a new customer gets value: a short setup, a guided first step, plain language.', differentiator: 'Easy to start, easy to use' },
  { id: 'speed', pattern: /\b(?:slow|slowly|performance|lag\w*|wait\w*)\b/iu, title: 'Make speed visible', advice: 'Demonstrate speed with side-by-side examples instead of claims.', differentiator: 'Noticeably fast' },
  { id: 'support', pattern: /\b(?:support|service|response|respond\w*|help ?desk|customer care)\b/iu, title: 'Out-support them', advice: 'Put the people and the response times of support forward: customers of the others say they miss it.', differentiator: 'Support from real people' },
  { id: 'reliability', pattern: /\b(?:bugs?|buggy|downtime|outages?|unreliable|crash\w*|errors?)\b/iu, title: 'Own reliability', advice: 'Publish what the brand does to stay reliable and let customers vouch for it.', differentiator: 'Dependable day after day' },
  { id: 'mobile', pattern: /\b(?:mobile|app|phone|ios|android)\b/iu, title: 'Serve people on the move', advice: 'Lead with the mobile experience where the others fall short.', differentiator: 'Works well on the move' },
  { id: 'features', pattern: /\b(?:lacks?|lacking|missing|no|limited|only)\b/iu, title: 'Fill the gaps they leave', advice: 'Speak to what their customers cannot do today, where the brand can.', differentiator: 'Covers what the others leave out' },
  { id: 'modern', pattern: /\b(?:outdated|old|dated|legacy)\b/iu, title: 'Look and feel current', advice: 'Show the brand\'s modern experience next to the dated one buyers know.', differentiator: 'A modern experience' },
];

interface Sorted {
  strengths: string[];
  weaknesses: string[];
  neutral: string[];
}

function sortNotes(notes: string): Sorted {
  const sorted: Sorted = { strengths: [], weaknesses: [], neutral: [] };
  let section: 'strengths' | 'weaknesses' | undefined;
  // "+" and "-" mean strength and weakness when the notes use both; a lone "-" is only a bullet
  const signed = /^\s*\+/mu.test(notes) && /^\s*-/mu.test(notes);
  for (const rawLine of withoutTags(notes).replace(/\r/g, '').split('\n')) {
    const line = rawLine.trim();
    if (!line) continue;
    const heading = /^(?:pros|strengths?|good|plus(?:es)?|what works)\s*:?\s*(.*)$/iu.exec(line) ?? undefined;
    const negHeading = /^(?:cons|weakness(?:es)?|bad|minus(?:es)?|gaps?|what doesn'?t work)\s*:?\s*(.*)$/iu.exec(line) ?? undefined;
    if (heading && (line.endsWith(':') || /^(?:pros|strengths?)\s*:/iu.test(line))) {
      section = 'strengths';
      if (heading[1]) sorted.strengths.push(...sentences(heading[1]));
      continue;
    }
    if (negHeading && (line.endsWith(':') || /^(?:cons|weakness(?:es)?)\s*:/iu.test(line))) {
      section = 'weaknesses';
      if (negHeading[1]) sorted.weaknesses.push(...sentences(negHeading[1]));
      continue;
    }
    const bullet = /^(?:[-*•+–]|\d+[.)])\s*/u.test(line);
    const marker = signed ? /^([+-])/u.exec(line)?.[1] : undefined;
    for (const sentence of sentences(line)) {
      if (isInstructionToAi(sentence)) continue;
      if (section && bullet) sorted[section].push(sentence);
      else if (marker === '+') sorted.strengths.push(sentence);
      else if (marker === '-') sorted.weaknesses.push(sentence);
      else {
        const positive = (sentence.match(POSITIVE) ?? []).length;
        const negative = (sentence.match(NEGATIVE) ?? []).length;
        if (negative > positive) sorted.weaknesses.push(sentence);
        else if (positive > negative) sorted.strengths.push(sentence);
        else sorted.neutral.push(sentence);
      }
    }
    if (!bullet) section = undefined;
  }
  return sorted;
}

export function generateCompetitorAnalysis(input: CompetitorAnalysisInput, rng: Random): CompetitorAnalysisOutput {
  const { brand } = input;
  const voice = voiceProfile(brand.voice);
  const analysed = input.competitors.map((competitor) => {
    const sorted = sortNotes(competitor.notes);
    const stated = sorted.neutral.find((s) => POSITIONING.test(s)) ?? [...sorted.strengths, ...sorted.weaknesses].find((s) => POSITIONING.test(s));
    const topics = keywords(material(competitor.notes).join('\n'), 3, { exclude: [competitor.name, brand.name] });
    const positioning = stated
      ? withoutEndPunctuation(stated)
      : topics.length > 0
        ? `Known in these notes for ${joinList(topics)}`
        : `The notes do not say how ${competitor.name} positions itself`;
    return {
      name: competitor.name,
      positioning: truncate(asSentenceOf(positioning), 400),
      strengths: distinct(sorted.strengths).slice(0, 8).map((s) => truncate(withoutEndPunctuation(capitalize(s)), 300)),
      weaknesses: distinct(sorted.weaknesses).slice(0, 8).map((s) => truncate(withoutEndPunctuation(capitalize(s)), 300)),
    };
  });

  const opportunities: CompetitorAnalysisOutput['opportunities'] = [];
  const usedThemes: (typeof THEMES)[number][] = [];
  for (const theme of THEMES) {
    const evidence = analysed.flatMap((c) => c.weaknesses.filter((w) => theme.pattern.test(w)).map((w) => ({ name: c.name, weakness: w })));
    if (evidence.length === 0) continue;
    if (theme.id === 'features' && evidence.every((e) => usedThemes.some((t) => t.pattern.test(e.weakness)))) continue;
    usedThemes.push(theme);
    const names = distinct(evidence.map((e) => e.name));
    const example = evidence[0];
    opportunities.push({
      title: theme.title,
      description: truncate(`${joinList(names)}: "${example?.weakness ?? ''}". ${theme.advice}`, 500),
      basedOn: names.map((n) => truncate(n, 200)),
    });
    if (opportunities.length >= 5) break;
  }
  // weaknesses no theme covers are openings too
  for (const competitor of analysed) {
    if (opportunities.length >= 8) break;
    const loose = competitor.weaknesses.find((w) => !THEMES.some((t) => t.pattern.test(w)));
    if (!loose) continue;
    opportunities.push({
      title: truncate(`Answer a gap at ${competitor.name}`, 120),
      description: truncate(`${competitor.name}: "${loose}". Show how ${brand.name} handles this, if it does.`, 500),
      basedOn: [competitor.name],
    });
  }
  if (opportunities.length === 0) {
    const common = distinct(analysed.flatMap((c) => c.strengths)).slice(0, 2);
    opportunities.push({
      title: truncate(`Differentiate beyond ${joinList(analysed.map((c) => c.name).slice(0, 3))}`, 120),
      description: truncate(
        `The notes show no clear weakness${common.length > 0 ? `, and strengths such as "${common[0]}"` : ''}. Compete on what is ${brand.name}'s own${brand.wordsToUse.length > 0 ? `: ${joinList(brand.wordsToUse.slice(0, 3))}` : ''}, and gather more notes on where customers are unhappy.`,
        500,
      ),
      basedOn: analysed.map((c) => c.name),
    });
  }

  const differentiators = distinct([...usedThemes.map((t) => t.differentiator), ...brand.wordsToUse.map((w) => capitalize(w))])
    .slice(0, 5)
    .map((d) => truncate(d, 200));
  if (differentiators.length === 0) differentiators.push(truncate(`${brand.name}'s own point of view`, 200));
  const audience = audienceOf(brand);
  const adjective = voice.traits[0] && voice.traits[0].split(' ').length <= 2 ? `${voice.traits[0]} ` : '';
  const alternative = rng.pick(['alternative to', 'choice over', 'answer to']);
  const statement = truncate(
    `For ${audience || 'buyers comparing the options'}, ${brand.name} is the ${adjective}${alternative} ${joinList(analysed.map((c) => c.name).slice(0, 3))}: ${joinList(differentiators.slice(0, 3).map((d) => d.toLowerCase()))}.`,
    400,
  );

  const commonWeak = usedThemes.slice(0, 2).map((t) => t.id);
  const summary = truncate(
    `${analysed.length} competitor${analysed.length > 1 ? 's' : ''} reviewed${input.market ? ` in ${withoutEndPunctuation(input.market)}` : ''}: ` +
      `${analysed.reduce((n, c) => n + c.strengths.length, 0)} strengths and ${analysed.reduce((n, c) => n + c.weaknesses.length, 0)} weaknesses in the notes. ` +
      (commonWeak.length > 0 ? `The clearest openings: ${joinList(usedThemes.slice(0, 2).map((t) => t.title.toLowerCase()))}.` : `The notes show no clear opening yet: ${opportunities[0]?.title.toLowerCase() ?? ''}.`),
    800,
  );
  return { summary, competitors: analysed, opportunities: opportunities.slice(0, 8), positioning: { statement, differentiators } };
}

function asSentenceOf(text: string): string {
  const trimmed = withoutEndPunctuation(text);
  return trimmed ? `${capitalize(trimmed)}.` : '';
}
