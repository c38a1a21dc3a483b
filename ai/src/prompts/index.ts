/**
 * The tasks the agents give the model, by name: each with its versioned prompt, its input check and its output
 * schema. A result is stored with its task's `version`, so a change to a prompt or a schema is a new version.
 */
import type { z } from 'zod';
import type { OutputSchema } from '../types';
import { brandGuidelinesTask } from './brand-guidelines';
import { competitorAnalysisTask } from './competitor-analysis';
import { contentTask } from './content';
import { qualityReviewTask } from './quality-review';
import { strategyTask } from './strategy';
import { variantsTask } from './variants';

export * from './common';
export * from './strategy';
export * from './competitor-analysis';
export * from './content';
export * from './variants';
export * from './quality-review';
export * from './brand-guidelines';

export const TASKS = {
  strategy: strategyTask,
  competitor_analysis: competitorAnalysisTask,
  content: contentTask,
  variants: variantsTask,
  quality_review: qualityReviewTask,
  brand_guidelines: brandGuidelinesTask,
} as const;

export type Tasks = typeof TASKS;
export type TaskName = keyof Tasks;
export const TASK_NAMES = Object.keys(TASKS) as TaskName[];
/** What a caller passes (defaults may be left out). */
export type TaskInput<N extends TaskName> = z.input<Tasks[N]['input']>;
/** The input once checked, defaults filled in. */
export type ParsedTaskInput<N extends TaskName> = z.output<Tasks[N]['input']>;
export type TaskOutput<N extends TaskName> = Tasks[N]['output'] extends OutputSchema<infer O> ? O : never;

export function isTaskName(name: string): name is TaskName {
  return Object.hasOwn(TASKS, name);
}

/**
 * The task an output schema belongs to: its name is the task's name, or the task's name and a suffix
 * ('content_x', 'variants_linkedin_3').
 */
export function taskOfSchema(schemaName: string): TaskName | undefined {
  return TASK_NAMES.find((name) => schemaName === name || schemaName.startsWith(`${name}_`));
}
