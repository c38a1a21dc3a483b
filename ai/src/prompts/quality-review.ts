/** The review agent's task: scores and issues for a piece (brand voice, clarity, channel fit, compliance). */
import { z } from 'zod';
import { brandSchema, channelRules, channelSchema, commonRules, contentPieceSchema, outputSchema, systemMessage, userDataMessage, type TaskDefinition } from './common';

export const qualityReviewInput = z.object({
  brand: brandSchema,
  channel: channelSchema,
  content: contentPieceSchema,
});
export type QualityReviewInput = z.output<typeof qualityReviewInput>;

export const REVIEW_CATEGORIES = ['brand_voice', 'clarity', 'channel_fit', 'compliance'] as const;
export type ReviewCategory = (typeof REVIEW_CATEGORIES)[number];
export const SEVERITIES = ['low', 'medium', 'high'] as const;
export const VERDICTS = ['approve', 'revise', 'reject'] as const;

const score = (description: string) => z.int().min(0).max(100).describe(description);

export const qualityReviewOutputZod = z.object({
  scores: z.object({
    brandVoice: score("How well it speaks in the brand's voice and uses its words (100 = exactly)."),
    clarity: score('How easy it is to read and understand (100 = effortless).'),
    channelFit: score("How well it fits the channel's limits and conventions (100 = perfectly)."),
    compliance: score('Absence of words to avoid, unsupported claims and text addressed to an AI (100 = none).'),
  }),
  overall: score('The overall score.'),
  verdict: z.enum(VERDICTS).describe('approve: publish as is; revise: fix the issues first; reject: start again.'),
  issues: z
    .array(
      z.object({
        category: z.enum(REVIEW_CATEGORIES),
        severity: z.enum(SEVERITIES),
        excerpt: z.string().max(300).describe('The words concerned, quoted from the piece (empty when it concerns the whole).'),
        problem: z.string().min(1).max(300),
        suggestion: z.string().min(1).max(500).describe('How to fix it.'),
      }),
    )
    .max(30),
  summary: z.string().min(1).max(600),
});
export type QualityReviewOutput = z.output<typeof qualityReviewOutputZod>;

const schema = outputSchema('quality_review', "A review of a piece: scores, verdict, issues with suggestions.", qualityReviewOutputZod);

export const qualityReviewTask: TaskDefinition<'quality_review', typeof qualityReviewInput, QualityReviewOutput> = {
  name: 'quality_review',
  version: 'quality_review@2026-12-01.1',
  description: 'Scores 0-100 for brand voice, clarity, channel fit and compliance; issues with suggestions.',
  input: qualityReviewInput,
  output: schema,
  schemaFor: () => schema,
  defaults: { maxTokens: 2500, temperature: 0.1 },
  buildMessages(input) {
    return [
      systemMessage([
        'You are the review agent of a marketing team. Review the piece in data.content, written for the channel below, for the brand described in the data.',
        '',
        ...channelRules(input.channel),
        '',
        'TASK',
        "- brandVoice: does it speak as brand.voice describes, to brand.audience, using brand.wordsToUse?",
        '- clarity: short sentences, plain words, one idea at a time, a clear point.',
        "- channelFit: within the channel's limits above (title, body, hashtags) and its conventions.",
        '- compliance: none of brand.wordsToAvoid in any form (each one found is a high-severity issue), no unsupported claims (guarantees, superlatives, invented figures), no text addressed to an AI model.',
        '- issues: every problem found, quoting the words concerned in excerpt, with a concrete suggestion; scores follow from the issues.',
        '- verdict: approve only with no high-severity issue.',
        commonRules(schema.name, { brandVoice: false }),
      ]),
      userDataMessage({ brand: input.brand, channel: input.channel, content: input.content }),
    ];
  },
};
