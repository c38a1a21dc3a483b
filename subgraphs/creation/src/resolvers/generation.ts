import { isTaskName, type AiCallRow, type GenerationJobRow } from '@umt/ai';
import { badInput, JSONValue, loadOwned, ownedPage, requireId, validate, viewer } from '@umt/infra';
import { z } from 'zod';
import type { CreationAi } from '../agent/generation';
import type { Context } from '../context';
import type { DB } from '../db/schema';
import type { AiCallResolvers, AiTask, GenerationJobResolvers, MutationResolvers, QueryResolvers } from '../generated/graphql';

const SetAiBudgetInput = z.object({
  monthlyLimitCents: z.number().int().min(0).max(2_000_000_000),
  warningPercent: z.number().int().min(1).max(100).nullish(),
});

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The GraphQL name of a task ('competitor_analysis' → COMPETITOR_ANALYSIS). */
const taskEnum = (task: string) => task.toUpperCase() as AiTask;

/** Seconds a client waits between polls: soon while it runs, a little longer while it waits its turn. */
const POLL_AFTER_SECONDS = { QUEUED: 2, RUNNING: 1 } as const;

function loadJob(ctx: Context, id: string): Promise<GenerationJobRow | null> {
  return loadOwned<GenerationJobRow, DB>(ctx, 'generationJobs', viewer(ctx).orgId, id);
}

/** The AI side of creation: generation jobs, usage and cost, budgets. */
export function generationResolvers(ai: CreationAi) {
  const Query: Pick<QueryResolvers<Context>, 'generationJob' | 'generationJobs' | 'aiUsage' | 'aiCalls'> = {
    generationJob: (_parent, args, ctx) => loadJob(ctx, requireId(args.id)),
    generationJobs: (_parent, args, ctx) =>
      ownedPage<GenerationJobRow, DB>(
        ctx,
        { table: 'generationJobs', sortKey: 'createdAt', orgId: viewer(ctx).orgId, direction: 'desc', where: args.status ? { status: args.status } : {} },
        args,
      ),
    aiUsage: (_parent, args, ctx) => {
      const month = args.month ?? new Date().toISOString().slice(0, 7);
      if (!MONTH.test(month)) throw badInput('month: expected a month such as 2026-12.', 'month');
      return ai.usage(ctx.db, viewer(ctx).orgId, month);
    },
    aiCalls: (_parent, args, ctx) =>
      ownedPage<AiCallRow, DB>(
        ctx,
        { table: 'aiCalls', sortKey: 'createdAt', orgId: viewer(ctx).orgId, direction: 'desc', where: args.jobId ? { jobId: requireId(args.jobId, 'jobId') } : {} },
        args,
      ),
  };

  const Mutation: Pick<MutationResolvers<Context>, 'startGeneration' | 'setAiBudget'> = {
    startGeneration: (_parent, args, ctx) => {
      const principal = viewer(ctx);
      const task = args.input.task.toLowerCase();
      if (!isTaskName(task)) throw badInput(`input.task: unknown task ${args.input.task}.`, 'input.task');
      return ai.jobs.enqueue({ orgId: principal.orgId, userId: principal.kind === 'user' ? principal.userId : null, task, input: args.input.input });
    },
    setAiBudget: (_parent, args, ctx) => {
      const input = validate(SetAiBudgetInput, args.input);
      return ai.budgets.set(viewer(ctx).orgId, input.monthlyLimitCents, input.warningPercent ?? undefined);
    },
  };

  const GenerationJob: GenerationJobResolvers<Context> = {
    __resolveReference: (reference, ctx) => loadJob(ctx, reference.id),
    task: (job) => taskEnum(job.task),
    error: (job) => (job.errorCode ? { code: job.errorCode, message: job.errorMessage ?? '' } : null),
    pollAfterSeconds: (job) => (job.status === 'QUEUED' || job.status === 'RUNNING' ? POLL_AFTER_SECONDS[job.status] : null),
  };

  const AiCall: AiCallResolvers<Context> = {
    job: (call, _args, ctx) => (call.jobId ? loadJob(ctx, call.jobId) : null),
    task: (call) => taskEnum(call.task),
  };

  return { Query, Mutation, GenerationJob, AiCall, JSON: JSONValue };
}
