/** The strategy agent's task: a content strategy for a brand (pillars, audiences, channels with cadence, KPIs). */
import { z } from 'zod';
import { brandSchema, CHANNELS, channelSchema, commonRules, outputSchema, systemMessage, userDataMessage, type TaskDefinition } from './common';

export const strategyInput = z.object({
  brand: brandSchema,
  /** What the strategy must achieve: goals, context, constraints. */
  brief: z.string().trim().min(1).max(20_000),
  channels: z.array(channelSchema).min(1).max(CHANNELS.length).default(['LINKEDIN', 'X', 'BLOG', 'EMAIL']),
  horizonWeeks: z.int().min(1).max(52).default(12),
});
export type StrategyInput = z.output<typeof strategyInput>;

const text = (max: number, description: string) => z.string().min(1).max(max).describe(description);

export const strategyOutputZod = z.object({
  summary: text(800, 'The strategy in a few sentences.'),
  pillars: z
    .array(
      z.object({
        name: text(80, 'A short name for the pillar.'),
        description: text(400, 'What the pillar covers and why it serves the goals.'),
        exampleTopics: z.array(text(150, 'One concrete piece of content.')).min(1).max(5),
      }),
    )
    .min(2)
    .max(6),
  audiences: z
    .array(
      z.object({
        name: text(80, 'Who they are, in a few words.'),
        description: text(400, 'What characterises them.'),
        needs: z.array(text(150, 'A need the content answers.')).min(1).max(5),
      }),
    )
    .min(1)
    .max(5),
  channels: z
    .array(
      z.object({
        channel: channelSchema,
        role: text(300, 'What this channel does in the strategy.'),
        postsPerWeek: z.number().min(0).max(50).describe('Pieces a week (0.5 = every other week).'),
        cadence: text(120, 'The rhythm in words, e.g. "3 posts a week, Tuesday to Thursday".'),
        formats: z.array(text(80, 'A format, e.g. "carousel", "how-to article".')).min(1).max(5),
      }),
    )
    .min(1)
    .max(CHANNELS.length),
  kpis: z
    .array(
      z.object({
        name: text(80, 'The indicator.'),
        target: text(150, 'The target over the horizon.'),
        channel: z.enum([...CHANNELS, 'ALL']).describe('The channel it measures, or ALL.'),
        why: text(300, 'Why it shows progress toward the goals.'),
      }),
    )
    .min(2)
    .max(10),
});
export type StrategyOutput = z.output<typeof strategyOutputZod>;

const schema = outputSchema('strategy', 'A content strategy: pillars, audiences, channels with cadence, KPIs.', strategyOutputZod);

export const strategyTask: TaskDefinition<'strategy', typeof strategyInput, StrategyOutput> = {
  name: 'strategy',
  version: 'strategy@2026-12-01.1',
  description: 'A content strategy for a brand: pillars, audiences, channels with cadence, KPIs.',
  input: strategyInput,
  output: schema,
  schemaFor: () => schema,
  defaults: { maxTokens: 3000, temperature: 0.5 },
  buildMessages(input) {
    return [
      systemMessage([
        "You are the strategy agent of a marketing team. Write a content strategy for the brand described in the data, serving the goals in data.brief, over data.horizonWeeks weeks.",
        '',
        'TASK',
        '- pillars: 3 to 5 content pillars (themes the brand owns), each with example topics drawn from the brief.',
        '- audiences: the audiences the brief and brand.audience point to, each with the needs content can answer.',
        '- channels: one entry for each channel in data.channels and no other, with its role, a realistic cadence (postsPerWeek and in words) and suitable formats.',
        '- kpis: measurable indicators with targets for the horizon, at least one per goal in the brief; use ALL for a KPI across channels.',
        '- summary: how the pieces fit together.',
        commonRules(schema.name, { brandVoice: true }),
      ]),
      userDataMessage({ brand: input.brand, brief: input.brief, channels: input.channels, horizonWeeks: input.horizonWeeks }),
    ];
  },
};
