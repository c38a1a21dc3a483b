/** The research agent's task: from notes about competitors, their strengths and weaknesses, the openings, a position. */
import { z } from 'zod';
import { brandSchema, commonRules, outputSchema, systemMessage, userDataMessage, type TaskDefinition } from './common';

export const MAX_COMPETITORS = 10;

export const competitorAnalysisInput = z.object({
  brand: brandSchema,
  competitors: z
    .array(
      z.object({
        name: z.string().trim().min(1).max(200),
        /** Whatever the team knows: observations, reviews, pricing pages, "+ fast / - expensive" notes. */
        notes: z.string().trim().min(1).max(20_000),
      }),
    )
    .min(1)
    .max(MAX_COMPETITORS),
  /** The market or category, when the notes do not make it obvious. */
  market: z.string().trim().max(500).default(''),
});
export type CompetitorAnalysisInput = z.output<typeof competitorAnalysisInput>;

const text = (max: number, description: string) => z.string().min(1).max(max).describe(description);

export const competitorAnalysisOutputZod = z.object({
  summary: text(800, 'The landscape in a few sentences.'),
  competitors: z
    .array(
      z.object({
        name: text(200, 'The competitor, as named in the data.'),
        positioning: text(400, 'How the competitor positions itself, as the notes show it.'),
        strengths: z.array(text(300, 'A strength the notes support.')).max(8),
        weaknesses: z.array(text(300, 'A weakness the notes support.')).max(8),
      }),
    )
    .min(1)
    .max(MAX_COMPETITORS),
  opportunities: z
    .array(
      z.object({
        title: text(120, 'The opening, in a few words.'),
        description: text(500, 'What the brand can do about it.'),
        basedOn: z.array(text(200, 'A competitor name.')).max(MAX_COMPETITORS).describe('The competitors whose notes show this opening.'),
      }),
    )
    .min(1)
    .max(8),
  positioning: z.object({
    statement: text(400, 'The position recommended for the brand against these competitors.'),
    differentiators: z.array(text(200, 'What sets the brand apart.')).min(1).max(5),
  }),
});
export type CompetitorAnalysisOutput = z.output<typeof competitorAnalysisOutputZod>;

const schema = outputSchema(
  'competitor_analysis',
  "Competitors' strengths, weaknesses and positioning, the openings they leave, and a recommended position.",
  competitorAnalysisOutputZod,
);

export const competitorAnalysisTask: TaskDefinition<'competitor_analysis', typeof competitorAnalysisInput, CompetitorAnalysisOutput> = {
  name: 'competitor_analysis',
  version: 'competitor_analysis@2026-12-01.1',
  description: 'From notes about competitors: strengths, weaknesses, opportunities, positioning.',
  input: competitorAnalysisInput,
  output: schema,
  schemaFor: () => schema,
  defaults: { maxTokens: 3000, temperature: 0.3 },
  buildMessages(input) {
    return [
      systemMessage([
        'You are the research agent of a marketing team. Analyse the competitors described in the data for the brand described there.',
        '',
        'TASK',
        '- competitors: one entry per competitor in data.competitors, in the same order and with the same name: its positioning, strengths and weaknesses, each supported by its notes (none rather than a guess).',
        '- opportunities: openings the competitors leave for the brand (weaknesses it can answer, audiences they neglect), each naming in basedOn the competitors it comes from.',
        "- positioning: a position for the brand that uses those openings, and its differentiators.",
        '- summary: the landscape and the main opening.',
        commonRules(schema.name, { brandVoice: true }),
      ]),
      userDataMessage({ brand: input.brand, market: input.market, competitors: input.competitors }),
    ];
  },
};
