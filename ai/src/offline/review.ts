/**
 * Offline review: scores computed from checks anyone can repeat. Compliance: the brand's words to avoid (in any
 * form), unsupported claims, text addressed to an AI. Channel fit: the channel's limits (X as X counts), hashtags,
 * a call to action, the channel's conventions. Clarity: sentence length, long words, jargon, shouting. Brand voice:
 * the brand's words to use and what its voice description asks for.
 */
import { CHANNEL_LIMITS, channelLength } from '../prompts/common';
import type { QualityReviewInput, QualityReviewOutput, ReviewCategory } from '../prompts/quality-review';
import { voiceProfile } from './brief';
import { avoidedIn, avoidPattern, isInstructionToAi, joinList, sentences, truncate, words } from './text';

type Issue = QualityReviewOutput['issues'][number];

const JARGON = [
  'leverage', 'synergy', 'synergies', 'paradigm', 'utilize', 'utilise', 'holistic', 'best-of-breed', 'bandwidth', 'circle back',
  'deep dive', 'move the needle', 'disruptive', 'actionable', 'ideate', 'value-add', 'low-hanging fruit', 'mission-critical',
  'thought leadership', 'game-changer', 'game changer', 'next-generation', 'cutting-edge', 'world-class', 'seamless',
];
const SLANG = ['awesome', 'super', 'cool', 'gonna', 'wanna', 'hey', 'guys', 'lol', 'omg', 'stoked', 'epic', 'insane', 'crazy'];
const CLAIMS = /\b(?:guarantee[ds]?|risk[- ]free|number one|no\.\s?1|world'?s best|best in (?:the )?(?:world|class|market|industry)|never fails|instantly|overnight|miracle|cure[sd]?)\b|\b100\s?%|#1\b/giu;
const PASSIVE = /\b(?:is|are|was|were|be|been|being)\s+\p{L}+ed\b/giu;
const CTA_WORDS = /\b(?:sign up|subscribe|register|join|try|download|buy|shop|book|order|learn more|read more|find out|see how|get started|start|contact|reply|comment|share|follow|save|visit|click|tap|discover|explore)\b/iu;

const SEVERITY_RANK = { high: 0, medium: 1, low: 2 } as const;

export function generateReview(input: QualityReviewInput): QualityReviewOutput {
  const { brand, channel, content } = input;
  const limits = CHANNEL_LIMITS[channel];
  const voice = voiceProfile(brand.voice);
  const issues: Issue[] = [];
  const penalties: Record<ReviewCategory, number> = { brand_voice: 0, clarity: 0, channel_fit: 0, compliance: 0 };
  const flag = (category: ReviewCategory, severity: Issue['severity'], penalty: number, excerpt: string, problem: string, suggestion: string) => {
    penalties[category] += penalty;
    issues.push({ category, severity, excerpt: truncate(excerpt, 300), problem: truncate(problem, 300), suggestion: truncate(suggestion, 500) });
  };
  const allText = [content.title, content.body, content.callToAction, content.hashtags.join(' ')].join('\n');
  const bodySentences = sentences(content.body).filter((s) => !/^(?:#[^\s#]+\s*)+$/u.test(s) && !/^#{1,6}\s/u.test(s));
  const sentenceWith = (index: number, text: string) => sentences(text.slice(Math.max(0, index - 200), index + 200)).find((s) => s.length > 0) ?? '';

  // compliance
  for (const found of avoidedIn(allText, brand.wordsToAvoid)) {
    const context = allText.slice(Math.max(0, found.index - 60), found.index + found.found.length + 60).replace(/\s+/gu, ' ').trim();
    flag('compliance', 'high', 30, context, `Uses "${found.found}", and "${found.term}" is one of the brand's words to avoid.`, `Remove "${found.found}" or rephrase without it.`);
  }
  for (const hashtag of content.hashtags) {
    const term = brand.wordsToAvoid.find((t) => hashtag.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '').includes(t.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '')));
    if (term && !avoidPattern(term)?.test(hashtag)) flag('compliance', 'high', 20, hashtag, `The hashtag ${hashtag} contains "${term}", a word to avoid.`, `Drop ${hashtag} or pick another hashtag.`);
  }
  const toAi = sentences(allText).filter(isInstructionToAi);
  if (toAi.length > 0) {
    flag('compliance', 'high', 30, toAi[0] ?? '', 'Contains text addressed to an AI model rather than to readers.', 'Delete these lines: they are instructions, not copy.');
  }
  let claims = 0;
  for (const match of allText.matchAll(CLAIMS)) {
    if (++claims > 3) break;
    flag('compliance', 'medium', 10, sentenceWith(match.index, allText) || match[0], `"${match[0]}" is a claim that needs proof.`, 'Back it with a source or a figure the brand can show, or soften it.');
  }

  // channel fit
  const length = channelLength(channel, content.body);
  if (length > limits.body) {
    const over = length - limits.body;
    flag('channel_fit', 'high', 40 + Math.min(30, Math.round((over / limits.body) * 100)), '', `The body is ${length} characters${limits.weighted ? ' as X counts them' : ''}, over ${limits.label}'s limit of ${limits.body}.`, `Cut at least ${over} characters${limits.weighted ? ' (X counts a URL as 23, CJK characters and emoji as 2)' : ''}.`);
  }
  if (content.title.length > limits.title) {
    flag('channel_fit', 'medium', 15, content.title, `The title is ${content.title.length} characters, over the limit of ${limits.title} (${limits.titleMeaning}).`, `Shorten the title to ${limits.title} characters or fewer.`);
  }
  if ((channel === 'EMAIL' || channel === 'BLOG') && !content.title.trim()) {
    flag('channel_fit', 'high', 25, '', `There is no ${channel === 'EMAIL' ? 'subject line' : 'title'}.`, `Write a ${channel === 'EMAIL' ? 'subject line of at most 60 characters' : 'title of at most 70 characters'}.`);
  }
  const tagsInBody = content.body.match(/#[\p{L}\p{N}_]+/gu) ?? [];
  const tagCount = new Set([...content.hashtags, ...(channel === 'BLOG' ? [] : tagsInBody)]).size;
  if (limits.hashtags === 0 && tagCount > 0) {
    flag('channel_fit', 'low', 5, content.hashtags.join(' ') || tagsInBody.join(' '), `${limits.label} has no hashtags.`, 'Remove the hashtags.');
  } else if (tagCount > limits.hashtags) {
    flag('channel_fit', 'medium', 10, content.hashtags.join(' '), `${tagCount} hashtags, more than the ${limits.hashtags} that suit ${limits.label}.`, `Keep the ${limits.hashtags} most relevant.`);
  }
  if (channel !== 'BLOG' && limits.hashtags > 0) {
    const missing = content.hashtags.filter((t) => !content.body.includes(t));
    if (missing.length > 0) flag('channel_fit', 'low', 5, missing.join(' '), 'Hashtags are listed that the body does not show.', 'Add them to the end of the body, or drop them from the list.');
  }
  if (!content.callToAction.trim() && !CTA_WORDS.test(content.body)) {
    flag('channel_fit', 'medium', 10, '', 'There is no call to action: readers are not told what to do next.', 'End with one clear action (read, reply, sign up, share).');
  }
  const bodyWords = words(content.body).length;
  if (channel === 'BLOG' && bodyWords < 300) flag('channel_fit', 'medium', 15, '', `At ${bodyWords} words, the article is short for a blog post.`, 'Develop it to at least 300 words, with a section per point.');
  if (channel === 'BLOG' && bodyWords > 400 && !/^#{2,3}\s/mu.test(content.body)) flag('channel_fit', 'low', 5, '', 'A long article without section headings.', 'Break it up with ## headings.');
  if (channel === 'LINKEDIN' && content.body.length < 150) flag('channel_fit', 'low', 5, content.body, 'Very short for LinkedIn, where posts that explain do better.', 'Add a line or two of substance.');
  if (channel === 'EMAIL' && content.title.length > 60) flag('channel_fit', 'low', 5, content.title, 'Subject lines over 60 characters are cut off on phones.', 'Put the point in the first 60 characters.');
  if ((channel === 'INSTAGRAM' || channel === 'TIKTOK') && /https?:\/\//u.test(content.body)) flag('channel_fit', 'low', 5, /https?:\/\/\S+/u.exec(content.body)?.[0] ?? '', `Links in ${limits.label} captions are not clickable.`, 'Say "link in bio" and put the link there.');

  // clarity
  const sentenceWords = bodySentences.map((s) => words(s).length).filter((n) => n > 0);
  const average = sentenceWords.length > 0 ? sentenceWords.reduce((a, b) => a + b, 0) / sentenceWords.length : 0;
  if (average > 20) flag('clarity', 'medium', Math.min(40, Math.round((average - 20) * 3)), '', `Sentences average ${Math.round(average)} words.`, 'Aim for 15 to 20 words a sentence: split the long ones.');
  let long = 0;
  for (const sentence of bodySentences) {
    if (words(sentence).length <= 30) continue;
    if (++long > 3) break;
    flag('clarity', 'low', 5, sentence, `A ${words(sentence).length}-word sentence.`, 'Split it into two or three sentences.');
  }
  const allWords = words(content.body);
  const longWords = allWords.filter((w) => w.replace(/[^\p{L}]/gu, '').length >= 13);
  if (allWords.length >= 20 && longWords.length / allWords.length > 0.08) {
    flag('clarity', 'low', 10, longWords.slice(0, 5).join(', '), 'Many long words.', 'Prefer short, everyday words.');
  }
  const lower = allText.toLowerCase();
  const jargon = JARGON.filter((j) => avoidPattern(j)?.test(lower));
  if (jargon.length > 0) {
    flag(voice.plain ? 'brand_voice' : 'clarity', voice.plain ? 'medium' : 'low', Math.min(20, jargon.length * (voice.plain ? 10 : 4)), jargon.join(', '), `Jargon: ${joinList(jargon.map((j) => `"${j}"`))}${voice.plain ? ", against the brand's plain voice" : ''}.`, 'Say what it means in plain words.');
  }
  const shouting = (content.body.match(/\b[A-Z]{4,}\b/gu) ?? []).filter((w) => !/^(?:HTTP|HTTPS|HTML|JSON|ASAP|FAQ)$/u.test(w));
  if (shouting.length > 2) flag('clarity', 'low', 5, shouting.slice(0, 5).join(' '), 'Words in capitals read as shouting.', 'Use sentence case; emphasise with word choice instead.');
  if (/!{2,}/u.test(content.body)) flag('clarity', 'low', 5, /[^.!?]*!{2,}/u.exec(content.body)?.[0]?.trim() ?? '!!', 'Repeated exclamation marks.', 'One is enough, if any.');
  const passive = content.body.match(PASSIVE) ?? [];
  if (passive.length > 2) flag('clarity', 'low', 5, passive.slice(0, 3).join('; '), 'Several passive constructions.', 'Say who does what: "we built", not "was built".');
  if (allWords.length < 3) flag('clarity', 'medium', 20, content.body, 'Too little text to carry a message.', 'Say what the reader gets and what to do.');

  // brand voice
  const used = brand.wordsToUse.filter((w) => avoidPattern(w)?.test(allText));
  if (brand.wordsToUse.length > 0) {
    const missing = brand.wordsToUse.filter((w) => !used.includes(w));
    const share = used.length / brand.wordsToUse.length;
    if (used.length === 0) {
      flag('brand_voice', 'medium', 25, '', `Uses none of the brand's words: ${joinList(brand.wordsToUse.slice(0, 5).map((w) => `"${w}"`))}.`, `Work in ${joinList(missing.slice(0, 2).map((w) => `"${w}"`), 'or')} where it fits.`);
    } else if (share < 0.5) {
      penalties.brand_voice += Math.round((1 - share) * 15);
    }
  }
  const exclamations = (content.body.match(/!/gu) ?? []).length;
  const addressesReader = /\b(?:you|your|you're|yours)\b/iu.test(allText);
  if (voice.formal && exclamations > 1) flag('brand_voice', 'medium', 10, /[^.!?]*!/u.exec(content.body)?.[0]?.trim() ?? '!', `${exclamations} exclamation marks in a brand whose voice is formal.`, 'Use full stops; let the substance carry the energy.');
  if (voice.formal) {
    const slang = SLANG.filter((s) => avoidPattern(s)?.test(lower));
    if (slang.length > 0) flag('brand_voice', 'medium', Math.min(24, slang.length * 8), slang.join(', '), `Casual words (${slang.join(', ')}) in a formal voice.`, 'Use the neutral word instead.');
  }
  if (voice.warm && !addressesReader) flag('brand_voice', 'medium', 15, '', 'Never speaks to the reader as "you", though the voice is warm and personal.', 'Address the reader directly.');
  if (voice.playful && !voice.formal && exclamations === 0 && !content.body.includes('?') && average > 18) {
    flag('brand_voice', 'low', 10, '', 'Reads flatter than the brand\'s lively voice.', 'Shorter sentences, a question or a lighter turn of phrase.');
  }
  if (!addressesReader && !/\b(?:we|our|us)\b/iu.test(allText)) flag('brand_voice', 'low', 5, '', 'Impersonal: neither "we" nor "you".', 'Let the brand speak ("we") to the reader ("you").');
  if ((channel === 'BLOG' || channel === 'EMAIL' || channel === 'LINKEDIN') && !allText.toLowerCase().includes(brand.name.toLowerCase())) {
    flag('brand_voice', 'low', 5, '', `The brand (${brand.name}) is never named.`, 'Name the brand once, where it is natural.');
  }

  const score = (category: ReviewCategory) => Math.max(0, Math.min(100, 100 - penalties[category]));
  const scores = { brandVoice: score('brand_voice'), clarity: score('clarity'), channelFit: score('channel_fit'), compliance: score('compliance') };
  const overall = Math.round(0.3 * scores.brandVoice + 0.25 * scores.clarity + 0.2 * scores.channelFit + 0.25 * scores.compliance);
  const sorted = issues.map((issue, i) => ({ issue, i })).sort((a, b) => SEVERITY_RANK[a.issue.severity] - SEVERITY_RANK[b.issue.severity] || a.i - b.i).map((x) => x.issue).slice(0, 30);
  const high = sorted.some((i) => i.severity === 'high');
  const verdict = overall < 50 ? 'reject' : high || overall < 75 ? 'revise' : 'approve';
  const verdictText = { approve: 'Ready to publish', revise: 'Needs revision', reject: 'Start again' }[verdict];
  const first = sorted[0];
  const summary = `${verdictText} (overall ${overall}): brand voice ${scores.brandVoice}, clarity ${scores.clarity}, channel fit ${scores.channelFit}, compliance ${scores.compliance}. ${first ? `${sorted.length} issue${sorted.length > 1 ? 's' : ''}; first: ${first.problem}` : 'No issues found.'}`;
  return { scores, overall, verdict, issues: sorted, summary: truncate(summary, 600) };
}
