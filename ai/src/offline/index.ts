/**
 * The deterministic offline generator: every task answered without a model, from the input alone, so the platform
 * works (and its tests run) with no provider configured. The same input always gives the same output (the random
 * choices are seeded with a hash of the task's version and the input); the output always matches the task's schema
 * for that input. Saying that a result was made offline is the generator's job (`generatedBy`), not this module's.
 */
import { AiProviderError } from '../errors';
import { readUserData, type Brand } from '../prompts/common';
import { TASKS, taskOfSchema, type ParsedTaskInput, type TaskInput, type TaskName, type TaskOutput } from '../prompts';
import type { ModelProvider, ProviderAnswer, ProviderCall } from '../types';
import { generateCompetitorAnalysis } from './competitors';
import { generateContent } from './content';
import { generateGuidelines } from './guidelines';
import { generateReview } from './review';
import { generateStrategy } from './strategy';
import { Random, scrub, scrubDeep } from './text';
import { generateVariants } from './variants';

export const OFFLINE_PROVIDER_ID = 'offline';
export const OFFLINE_MODEL = 'offline-deterministic';

/** Enum values the scrubbing of words to avoid leaves alone. */
const ENUM_KEYS = new Set(['channel', 'label', 'category', 'severity', 'verdict']);

function generate<N extends TaskName>(task: N, input: ParsedTaskInput<N>): unknown {
  const rng = Random.of(TASKS[task].version, input);
  switch (task) {
    case 'strategy': {
      const parsed = input as ParsedTaskInput<'strategy'>;
      return clean(generateStrategy(parsed, rng), parsed.brand);
    }
    case 'competitor_analysis': {
      const parsed = input as ParsedTaskInput<'competitor_analysis'>;
      const output = generateCompetitorAnalysis(parsed, rng);
      // what the brand says about itself avoids its words; what the notes say about competitors is quoted as written
      return { ...output, positioning: clean(output.positioning, parsed.brand) };
    }
    case 'content': {
      const parsed = input as ParsedTaskInput<'content'>;
      return clean(generateContent(parsed, rng), parsed.brand);
    }
    case 'variants': {
      const parsed = input as ParsedTaskInput<'variants'>;
      return clean(generateVariants(parsed, rng), parsed.brand);
    }
    case 'quality_review':
      return generateReview(input as ParsedTaskInput<'quality_review'>);
    case 'brand_guidelines':
      return generateGuidelines(input as ParsedTaskInput<'brand_guidelines'>);
  }
  throw new Error(`Unknown task: ${String(task)}`);
}

function clean<T>(value: T, brand: Brand): T {
  // a string left empty takes the brand's name, unless that too holds a word to avoid
  const fallback = scrub(brand.name, brand.wordsToAvoid) || 'Update';
  return scrubDeep(value, brand.wordsToAvoid, fallback, ENUM_KEYS);
}

/**
 * The task's output for this input, made offline: checked against the task's schema for the input (a mismatch
 * is a bug here, thrown as such). Throws the input's ZodError when the input is invalid.
 */
export function offlineGenerate<N extends TaskName>(task: N, input: TaskInput<N>): TaskOutput<N> {
  const definition = TASKS[task];
  const parsed = definition.input.parse(input) as ParsedTaskInput<N>;
  const schema = (definition.schemaFor as (input: ParsedTaskInput<N>) => { zod: { parse(value: unknown): unknown } })(parsed);
  return schema.zod.parse(generate(task, parsed)) as TaskOutput<N>;
}

/**
 * The offline generator as a provider: it reads the task from the call's schema name and the input from the data
 * block of the user message, and answers with the output as JSON (streamed in pieces when asked).
 */
export function offlineProvider(): ModelProvider {
  return {
    id: OFFLINE_PROVIDER_ID,
    model: OFFLINE_MODEL,
    async complete(call: ProviderCall): Promise<ProviderAnswer> {
      call.signal.throwIfAborted();
      const task = taskOfSchema(call.schema.name);
      if (!task) throw new AiProviderError(OFFLINE_PROVIDER_ID, 'INVALID_REQUEST', `no offline generator for the schema "${call.schema.name}"`);
      const data = readUserData(call.messages);
      if (!data) throw new AiProviderError(OFFLINE_PROVIDER_ID, 'INVALID_REQUEST', 'the messages carry no data block');
      let text: string;
      try {
        text = JSON.stringify(offlineGenerate(task, data as TaskInput<typeof task>));
      } catch (error) {
        throw new AiProviderError(OFFLINE_PROVIDER_ID, 'INVALID_REQUEST', `the data does not fit the task "${task}": ${error instanceof Error ? error.message : String(error)}`);
      }
      if (call.stream && call.onDelta) {
        for (let i = 0; i < text.length; i += 64) call.onDelta(text.slice(i, i + 64));
      }
      return { text, model: OFFLINE_MODEL, finishReason: 'stop' };
    },
  };
}
