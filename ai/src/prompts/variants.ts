/** The variants agent's task: N variants of a piece to A/B test, each changing one thing, each with its hypothesis. */
import { z } from 'zod';
import { brandSchema, channelRules, channelSchema, commonRules, contentPieceSchema, outputSchema, systemMessage, userDataMessage, type Channel, type TaskDefinition } from './common';
import { contentFields } from './content';
import type { OutputSchema } from '../types';

export const MIN_VARIANTS = 2;
export const MAX_VARIANTS = 5;

export const variantsInput = z.object({
  brand: brandSchema,
  channel: channelSchema,
  /** The piece to vary (the control of the test). */
  original: contentPieceSchema,
  count: z.int().min(MIN_VARIANTS).max(MAX_VARIANTS).default(3),
  /** What the test should improve, e.g. 'more sign-ups' (the writer picks when empty). */
  goal: z.string().trim().max(500).default(''),
});
export type VariantsInput = z.output<typeof variantsInput>;

export interface Variant {
  label: string;
  title: string;
  body: string;
  callToAction: string;
  hashtags: string[];
  change: string;
  hypothesis: string;
  metric: string;
}
export interface VariantsOutput {
  variants: Variant[];
}

function variantsZod(channel: Channel | null, min: number, max: number): z.ZodType<VariantsOutput> {
  const variant = z.object({
    label: z.string().min(1).max(20).describe('The variant\'s label: "B", "C", ... (the original is "A").'),
    ...contentFields(channel),
    change: z.string().min(1).max(200).describe('The one thing this variant changes from the original.'),
    hypothesis: z.string().min(1).max(400).describe('If we make this change, this metric moves this way, because ...'),
    metric: z.string().min(1).max(80).describe('The metric that decides the test, e.g. "click-through rate".'),
  });
  return z.object({ variants: z.array(variant).min(min).max(max) });
}

const general = outputSchema<VariantsOutput>('variants', 'Variants of a piece for an A/B test, each with its hypothesis.', variantsZod(null, MIN_VARIANTS, MAX_VARIANTS));
const cache = new Map<string, OutputSchema<VariantsOutput>>();

export function variantsSchemaFor(channel: Channel, count: number): OutputSchema<VariantsOutput> {
  const key = `${channel}_${count}`;
  let schema = cache.get(key);
  if (!schema) {
    schema = outputSchema(`variants_${channel.toLowerCase()}_${count}`, `${count} variants of a ${channel} piece for an A/B test.`, variantsZod(channel, count, count));
    cache.set(key, schema);
  }
  return schema;
}

export const variantsTask: TaskDefinition<'variants', typeof variantsInput, VariantsOutput> = {
  name: 'variants',
  version: 'variants@2026-12-01.1',
  description: 'N A/B variants of a piece, each with its hypothesis.',
  input: variantsInput,
  output: general,
  schemaFor: (input) => variantsSchemaFor(input.channel, input.count),
  defaults: { maxTokens: 4000, temperature: 0.9 },
  buildMessages(input) {
    const schema = variantsSchemaFor(input.channel, input.count);
    return [
      systemMessage([
        `You are the testing agent of a marketing team. Write exactly ${input.count} variants of the piece in data.original for an A/B test against it, for the brand described in the data.`,
        '',
        ...channelRules(input.channel),
        '',
        'TASK',
        '- Each variant changes one thing from the original (the hook, the length, the call to action, the framing, the subject line, ...) and keeps the rest, so the test can tell what worked; no two variants change the same thing.',
        '- Keep the facts of the original: vary how it is said, not what is claimed.',
        '- Label them "B", "C", "D", ... (the original is "A").',
        '- hypothesis: what the change should move, in which direction and why, serving data.goal when given; metric: the one metric that decides.',
        commonRules(schema.name, { brandVoice: true }),
      ]),
      userDataMessage({ brand: input.brand, channel: input.channel, goal: input.goal, original: input.original }),
    ];
  },
};
