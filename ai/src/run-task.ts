import type { Generator, GenerationRequest, GenerationResult } from './generator';
import { TASKS, type TaskName, type TaskInput, type TaskOutput } from './prompts';
import type { OutputSchema } from './types';
import type { z } from 'zod';

/**
 * Runs one of the agents' tasks: checks the caller's input against the task's input schema (filling its defaults),
 * builds the task's messages (instructions apart from the user's data), and generates output that matches the
 * task's exact schema for that input. The result carries the task's prompt version.
 */
export function runTask<N extends TaskName>(
  generator: Generator,
  task: N,
  input: TaskInput<N>,
  options: Pick<GenerationRequest<unknown>, 'onProgress' | 'signal' | 'maxTokens' | 'temperature' | 'beforeCall'> = {},
): Promise<GenerationResult<TaskOutput<N>>> {
  // Each task's definition types its own input; the registry's union does not line them up, hence the widening.
  const definition = TASKS[task] as unknown as {
    version: string;
    input: z.ZodType;
    schemaFor(input: unknown): OutputSchema<TaskOutput<N>>;
    buildMessages(input: unknown): GenerationRequest<unknown>['messages'];
    defaults: { maxTokens: number; temperature: number };
  };
  const parsed: unknown = definition.input.parse(input);
  return generator.generate({
    task,
    promptVersion: definition.version,
    messages: definition.buildMessages(parsed),
    schema: definition.schemaFor(parsed),
    maxTokens: options.maxTokens ?? definition.defaults.maxTokens,
    temperature: options.temperature ?? definition.defaults.temperature,
    onProgress: options.onProgress,
    signal: options.signal,
    beforeCall: options.beforeCall,
  });
}
