/** The brand agent's task: brand guidelines (voice, tone, words, audience, value propositions) from a website's text. */
import { z } from 'zod';
import { commonRules, outputSchema, systemMessage, userDataMessage, type TaskDefinition } from './common';

export const brandGuidelinesInput = z.object({
  brandName: z.string().trim().min(1).max(200),
  /** The website's text (pages as text, not HTML). */
  websiteText: z.string().trim().min(1).max(200_000),
  websiteUrl: z.union([z.literal(''), z.url({ protocol: /^https?$/ }).max(2000)]).default(''),
});
export type BrandGuidelinesInput = z.output<typeof brandGuidelinesInput>;

const text = (max: number, description: string) => z.string().min(1).max(max).describe(description);
const word = z.string().min(1).max(60);

export const brandGuidelinesOutputZod = z.object({
  voice: text(300, 'How the brand speaks, in one or two sentences, e.g. "warm, plain-spoken, no jargon".'),
  tone: z.array(text(40, 'One adjective or short phrase.')).min(1).max(6).describe('The tone the text takes.'),
  wordsToUse: z.array(word).max(20).describe('Words and phrases the brand uses and owns.'),
  wordsToAvoid: z.array(word).max(20).describe('Words that would not sound like the brand.'),
  audience: text(400, 'Who the website speaks to.'),
  valuePropositions: z.array(text(300, 'A promise the website makes to its audience.')).min(1).max(6),
  summary: text(600, 'The guidelines in a few sentences.'),
});
export type BrandGuidelinesOutput = z.output<typeof brandGuidelinesOutputZod>;

const schema = outputSchema('brand_guidelines', "Brand guidelines read from a website's text.", brandGuidelinesOutputZod);

export const brandGuidelinesTask: TaskDefinition<'brand_guidelines', typeof brandGuidelinesInput, BrandGuidelinesOutput> = {
  name: 'brand_guidelines',
  version: 'brand_guidelines@2026-12-01.1',
  description: "From a website's text: voice, tone, words to use and avoid, audience, value propositions.",
  input: brandGuidelinesInput,
  output: schema,
  schemaFor: () => schema,
  defaults: { maxTokens: 2000, temperature: 0.2 },
  buildMessages(input) {
    return [
      systemMessage([
        "You are the brand agent of a marketing team. Read the website text in the data and describe the brand's guidelines as the text shows them.",
        '',
        'TASK',
        '- voice and tone: how the text speaks (formality, sentence length, how it addresses the reader), with evidence from the text, not wishes.',
        '- wordsToUse: words and phrases the text uses often and that carry the brand; wordsToAvoid: words that would clash with that voice (jargon for a plain voice, slang for a formal one, clichés it never uses).',
        '- audience: who the text speaks to; valuePropositions: the promises it makes, in its own terms.',
        '- Base everything on the text; where it says little, say so rather than invent.',
        commonRules(schema.name, { brandVoice: false }),
      ]),
      userDataMessage({ brandName: input.brandName, websiteUrl: input.websiteUrl, websiteText: input.websiteText }),
    ];
  },
};
