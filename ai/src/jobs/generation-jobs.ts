import { badInput, type HandlerContext } from '@umt/infra';
import { sql, type Insertable, type Kysely, type UpdateObject } from 'kysely';
import type { Logger } from 'pino';
import { z } from 'zod';
import { AiUnavailableError, InvalidOutputError } from '../errors';
import type { CallRecord, Generator } from '../generator';
import { aiBudgetRefusals, aiBudgetWarnings, aiCacheHits, aiCost, aiJobsFinished, aiTokens } from '../metrics';
import { TASKS, type TaskName } from '../prompts';
import { runTask } from '../run-task';
import { BudgetExceededError, type Budgets, type BudgetStatus } from './budget';
import { callCost } from './cost';
import { ResponseCache, type CachedAnswer } from './response-cache';
import type { AiJobSettings } from './settings';
import type { AiCallTable, AiTables, GenerationJobRow } from './tables';

/** The task message that runs a job: its routing key, and the work queue it is consumed from. */
export const GENERATION_REQUESTED = 'generation.requested';
export const AI_WORK_QUEUE = 'ai-jobs';

/** How the job module publishes: the subgraph's outbox recorder (the same transaction as the job's row). */
export interface JobEvents {
  requested(trx: Kysely<AiTables>, orgId: string, data: { jobId: string; task: string }): Promise<void>;
  budgetWarning(trx: Kysely<AiTables>, orgId: string, data: { month: string; spentMicroUsd: number; limitCents: number; warningPercent: number }): Promise<void>;
}

export interface GenerationJobsOptions {
  /** The agent whose work queue runs the jobs; cost is reported per agent. */
  agent: string;
  db: Kysely<AiTables>;
  generator: Generator;
  settings: AiJobSettings;
  cache: ResponseCache;
  budgets: Budgets;
  events: JobEvents;
  logger: Logger;
}

/** The job is running on another worker whose lease has not run out: the message is retried later. */
class JobBusyError extends Error {
  constructor(jobId: string, until: Date | null) {
    super(`generation job ${jobId} is running on another worker (lease until ${until?.toISOString() ?? 'unknown'})`);
    this.name = 'JobBusyError';
  }
}

/** What finishing (or re-queuing) a job changes in its row, besides the totals. */
type JobChange = UpdateObject<AiTables, 'generationJobs'>;
type NewCall = Omit<Insertable<AiCallTable>, 'id' | 'createdAt'> & { inputTokens: number; outputTokens: number; costMicroUsd: number; tokensEstimated: boolean };

/** A failure the job ends with at once: retrying would give the same answer. */
interface FinalFailure {
  code: string;
  message: string;
}

function finalFailure(error: unknown): FinalFailure | undefined {
  if (error instanceof BudgetExceededError) return { code: error.code, message: error.message };
  if (error instanceof InvalidOutputError) return { code: error.code, message: error.message };
  if (error instanceof z.ZodError) return { code: 'BAD_USER_INPUT', message: `The job's input does not match the task: ${error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` };
  return undefined;
}

/** The generator's record of the calls a generation made, attached to its result or to its error. */
function callsOf(error: unknown): CallRecord[] {
  const calls = (error as { calls?: unknown } | null)?.calls;
  return Array.isArray(calls) ? (calls as CallRecord[]) : [];
}

/** Progress from characters streamed so far: a rough share of the answer's expected size, never 100 before the end. */
function progressFrom(received: number, maxTokens: number): number {
  return Math.min(95, Math.max(1, Math.round((received / (maxTokens * 2)) * 100)));
}

/**
 * Generation jobs: created QUEUED with a task message in the same transaction (nothing lost if the broker is away),
 * run by the agent's work queue outside any database transaction, RUNNING under a lease the worker keeps extending,
 * SUCCEEDED with the result or FAILED with a code and a reason. Every provider call is recorded with its tokens and
 * cost; the organization's monthly budget is checked before every call.
 */
export class GenerationJobs {
  readonly agent: string;
  private readonly db: Kysely<AiTables>;
  private readonly log: Logger;

  constructor(private readonly options: GenerationJobsOptions) {
    this.agent = options.agent;
    this.db = options.db;
    this.log = options.logger.child({ component: 'generation-jobs' });
  }

  /**
   * Checks the input against the task and the budget, then records the job and its task message in one transaction.
   * Throws BAD_USER_INPUT (naming the field) or BUDGET_EXCEEDED; nothing is written then.
   */
  async enqueue(request: { orgId: string; userId: string | null; task: TaskName; input: unknown }): Promise<GenerationJobRow> {
    const definition = TASKS[request.task] as unknown as { version: string; input: z.ZodType };
    const parsed = definition.input.safeParse(request.input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const path = ['input', ...issue.path.map(String)].join('.');
      throw badInput(`${path}: ${issue.message}`, path);
    }
    if (!this.options.generator.offlineOnly) {
      try {
        await this.options.budgets.assertAvailable(request.orgId);
      } catch (error) {
        if (error instanceof BudgetExceededError) {
          aiBudgetRefusals.inc({ agent: this.agent });
          throw error.toGraphError();
        }
        throw error;
      }
    }
    const job = await this.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('generationJobs')
        .values({
          orgId: request.orgId,
          agent: this.agent,
          task: request.task,
          input: JSON.stringify(parsed.data),
          result: null,
          errorCode: null,
          errorMessage: null,
          promptVersion: definition.version,
          provider: null,
          model: null,
          leaseUntil: null,
          createdBy: request.userId,
          startedAt: null,
          finishedAt: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await this.options.events.requested(trx, request.orgId, { jobId: row.id, task: row.task });
      return row;
    });
    this.log.info({ jobId: job.id, task: job.task, orgId: job.orgId }, 'generation job queued');
    return job;
  }

  /** The task handler of the work queue: runs one job, once, whatever the number of deliveries. */
  async handle(data: { jobId: string }, ctx: HandlerContext): Promise<void> {
    let job: GenerationJobRow | null;
    try {
      job = await this.claim(data.jobId, ctx.replay);
    } catch (error) {
      // Out of attempts while another worker holds the job: that worker finishes it, or, if it died, the stranded
      // jobs' watcher sends the job again once the lease has run out. Nothing to dead-letter.
      if (error instanceof JobBusyError && ctx.finalAttempt) {
        ctx.log.warn({ jobId: data.jobId }, 'generation job still held by another worker; left to it');
        return;
      }
      throw error;
    }
    if (!job) return;
    const log = ctx.log.child({ jobId: job.id, task: job.task, attempt: job.attempts });
    log.info('generation job running');
    const heartbeat = this.keepLease(job.id);
    try {
      await this.run(job, heartbeat);
    } catch (error) {
      const calls = callsOf(error);
      const final = finalFailure(error);
      if (final) {
        if (error instanceof BudgetExceededError) aiBudgetRefusals.inc({ agent: this.agent });
        await this.fail(job, final, calls);
        log.warn({ code: final.code }, 'generation job failed');
        return;
      }
      const failure = { code: error instanceof AiUnavailableError ? error.code : 'INTERNAL_SERVER_ERROR', message: error instanceof AiUnavailableError ? error.message : 'The generation failed unexpectedly; it was retried and then given up.' };
      if (ctx.finalAttempt) {
        await this.fail(job, failure, calls);
        log.error({ err: error }, 'generation job failed after its retries');
      } else {
        await this.requeue(job, failure, calls);
        log.warn({ err: error }, 'generation job failed; it will be retried');
      }
      throw error;
    } finally {
      await heartbeat.stop();
    }
  }

  /**
   * Takes the job for this worker: QUEUED, or RUNNING whose lease ran out (its worker died), or FAILED when an
   * operator replays its dead letter. Null when there is nothing to do (finished, or gone); throws JobBusyError when
   * another worker holds it.
   */
  private async claim(jobId: string, replay: boolean): Promise<GenerationJobRow | null> {
    const lease = sql<Date>`now() + make_interval(secs => ${this.options.settings.leaseSeconds})`;
    const claimed = await this.db
      .updateTable('generationJobs')
      .set({
        status: 'RUNNING',
        attempts: sql`attempts + 1`,
        leaseUntil: lease,
        progress: 0,
        startedAt: sql`coalesce(started_at, now())`,
        errorCode: null,
        errorMessage: null,
        updatedAt: sql`now()`,
      })
      .where('id', '=', jobId)
      .where((eb) =>
        eb.or([
          eb('status', '=', 'QUEUED'),
          eb.and([eb('status', '=', 'RUNNING'), eb('leaseUntil', '<', sql<Date>`now()`)]),
          ...(replay ? [eb('status', '=', 'FAILED')] : []),
        ]),
      )
      .returningAll()
      .executeTakeFirst();
    if (claimed) return claimed;
    const current = await this.db.selectFrom('generationJobs').select(['status', 'leaseUntil']).where('id', '=', jobId).executeTakeFirst();
    if (current?.status === 'RUNNING') throw new JobBusyError(jobId, current.leaseUntil);
    return null;
  }

  /** Extends the lease every third of its length while the job runs, and stores progress as it streams. */
  private keepLease(jobId: string) {
    const leaseSeconds = this.options.settings.leaseSeconds;
    let progress = 0;
    let written = 0;
    let writing: Promise<unknown> = Promise.resolve();
    const write = () => {
      written = progress;
      writing = writing
        .then(() =>
          this.db
            .updateTable('generationJobs')
            .set({ progress, leaseUntil: sql<Date>`now() + make_interval(secs => ${leaseSeconds})`, updatedAt: sql`now()` })
            .where('id', '=', jobId)
            .where('status', '=', 'RUNNING')
            .execute(),
        )
        .catch((error: unknown) => this.log.warn({ err: error, jobId }, 'could not record a job\'s progress'));
    };
    const timer = setInterval(write, Math.max(200, (leaseSeconds * 1000) / 3));
    let last = 0;
    return {
      progress(value: number) {
        progress = value;
        // At most twice a second: progress is for people, the lease needs far less.
        if (value > written && Date.now() - last >= 500) {
          last = Date.now();
          write();
        }
      },
      stop() {
        clearInterval(timer);
        return writing;
      },
    };
  }

  private async run(job: GenerationJobRow, heartbeat: ReturnType<GenerationJobs['keepLease']>): Promise<void> {
    const task = job.task as TaskName;
    const definition = TASKS[task] as unknown as { defaults: { maxTokens: number; temperature: number } };
    const key = ResponseCache.key({
      orgId: job.orgId,
      providers: this.options.generator.chain,
      task,
      promptVersion: job.promptVersion,
      input: job.input,
      params: { ...definition.defaults },
    });
    const cached = await this.options.cache.get(key);
    if (cached && cached.promptVersion === job.promptVersion) {
      await this.succeed(job, cached, [], true);
      aiCacheHits.inc({ agent: this.agent, task });
      return;
    }
    const result = await runTask(this.options.generator, task, job.input as never, {
      onProgress: (received) => heartbeat.progress(progressFrom(received, definition.defaults.maxTokens)),
      beforeCall: async () => {
        await this.options.budgets.assertAvailable(job.orgId);
      },
    });
    await heartbeat.stop();
    const answer: CachedAnswer = { output: result.output, provider: result.provider, model: result.model, offline: result.offline, promptVersion: result.promptVersion };
    await this.succeed(job, answer, result.calls, false);
    await this.options.cache.set(key, answer);
  }

  private async succeed(job: GenerationJobRow, answer: CachedAnswer, calls: CallRecord[], cached: boolean): Promise<void> {
    await this.finish(job, calls, cached ? { provider: answer.provider, model: answer.model } : undefined, {
      status: 'SUCCEEDED',
      result: JSON.stringify(answer.output),
      provider: answer.provider,
      model: answer.model,
      offline: answer.offline,
      cached,
      progress: 100,
      finishedAt: sql<Date>`now()`,
    });
    aiJobsFinished.inc({ agent: this.agent, task: job.task, outcome: 'succeeded' });
    this.log.info({ jobId: job.id, task: job.task, cached }, 'generation job succeeded');
  }

  private async fail(job: GenerationJobRow, failure: FinalFailure, calls: CallRecord[]): Promise<void> {
    await this.finish(job, calls, undefined, {
      status: 'FAILED',
      errorCode: failure.code,
      errorMessage: failure.message.slice(0, 2000),
      finishedAt: sql<Date>`now()`,
    });
    aiJobsFinished.inc({ agent: this.agent, task: job.task, outcome: 'failed' });
  }

  /** Back to QUEUED for the backbone's retry, keeping the calls made (they cost) and the reason for now. */
  private async requeue(job: GenerationJobRow, failure: FinalFailure, calls: CallRecord[]): Promise<void> {
    await this.finish(job, calls, undefined, { status: 'QUEUED', errorCode: failure.code, errorMessage: failure.message.slice(0, 2000) });
  }

  /**
   * In one transaction: records the calls (tokens, cost), updates the job with what `change` says plus the running
   * totals, and, when this spending reached the warning share of the budget, claims the month's warning and sends it.
   */
  private async finish(
    job: GenerationJobRow,
    calls: CallRecord[],
    cachedFrom: { provider: string; model: string } | undefined,
    change: JobChange,
  ): Promise<void> {
    const rows: NewCall[] = calls.map((call) => {
      const price = call.provider === 'offline' ? { input: 0, output: 0 } : this.options.settings.prices[call.model];
      const cost = callCost(call.usage, price);
      return {
        orgId: job.orgId,
        agent: this.agent,
        jobId: job.id,
        task: job.task,
        provider: call.provider,
        model: call.model,
        outcome: call.outcome,
        inputTokens: call.usage.inputTokens,
        outputTokens: call.usage.outputTokens,
        tokensEstimated: call.usage.estimated,
        ...cost,
      };
    });
    if (cachedFrom) {
      rows.push({ orgId: job.orgId, agent: this.agent, jobId: job.id, task: job.task, ...cachedFrom, outcome: 'cached', inputTokens: 0, outputTokens: 0, tokensEstimated: false, costMicroUsd: 0, priced: true });
    }
    const sum = (pick: (row: (typeof rows)[number]) => number) => rows.reduce((total, row) => total + pick(row), 0);
    const totals = {
      inputTokens: sql<number>`input_tokens + ${sum((r) => r.inputTokens)}`,
      outputTokens: sql<number>`output_tokens + ${sum((r) => r.outputTokens)}`,
      costMicroUsd: sql<number>`cost_micro_usd + ${sum((r) => r.costMicroUsd)}`,
      tokensEstimated: rows.some((r) => r.tokensEstimated && r.outcome !== 'cached'),
      leaseUntil: null,
      updatedAt: sql<Date>`now()`,
    };
    const spent = sum((r) => r.costMicroUsd);
    await this.db.transaction().execute(async (trx) => {
      if (rows.length) await trx.insertInto('aiCalls').values(rows).execute();
      await trx.updateTable('generationJobs').set({ ...change, ...totals }).where('id', '=', job.id).execute();
      if (spent > 0) {
        const status: BudgetStatus = await this.options.budgets.status(job.orgId, { db: trx });
        if (await this.options.budgets.claimWarning(trx, job.orgId, status)) {
          await this.options.events.budgetWarning(trx, job.orgId, {
            month: status.month,
            spentMicroUsd: Math.round(status.spentMicroUsd),
            limitCents: status.monthlyLimitCents,
            warningPercent: status.warningPercent,
          });
          aiBudgetWarnings.inc({ agent: this.agent });
          this.log.warn({ orgId: job.orgId, month: status.month }, 'organization reached the warning share of its AI budget');
        }
      }
    });
    for (const row of rows) {
      if (row.outcome === 'cached') continue;
      aiTokens.inc({ agent: this.agent, provider: row.provider, model: row.model, direction: 'input' }, row.inputTokens);
      aiTokens.inc({ agent: this.agent, provider: row.provider, model: row.model, direction: 'output' }, row.outputTokens);
      aiCost.inc({ agent: this.agent, provider: row.provider, model: row.model }, row.costMicroUsd);
    }
  }

  /**
   * Sends the task message again for jobs no worker will finish: RUNNING past their lease (the worker died and the
   * message was given up), and at start, QUEUED ones (an in-process bus loses its messages with the process; with
   * RabbitMQ the copy is a harmless duplicate, the claim runs a job once). Bounded per pass.
   */
  async resendStranded(options: { queuedToo: boolean; limit?: number }): Promise<number> {
    const limit = options.limit ?? 100;
    return this.db.transaction().execute(async (trx) => {
      const stranded = await trx
        .selectFrom('generationJobs')
        .select(['id', 'orgId', 'task'])
        .where((eb) =>
          eb.or([
            eb.and([eb('status', '=', 'RUNNING'), eb('leaseUntil', '<', sql<Date>`now() - interval '5 seconds'`)]),
            ...(options.queuedToo ? [eb('status', '=', 'QUEUED')] : []),
          ]),
        )
        .orderBy('createdAt')
        .limit(limit)
        .forUpdate()
        .skipLocked()
        .execute();
      for (const job of stranded) {
        await trx.updateTable('generationJobs').set({ updatedAt: sql`now()` }).where('id', '=', job.id).execute();
        await this.options.events.requested(trx, job.orgId, { jobId: job.id, task: job.task });
      }
      if (stranded.length) this.log.warn({ jobs: stranded.length }, 'generation jobs sent to the work queue again');
      return stranded.length;
    });
  }

  /** Re-sends stranded jobs now (QUEUED ones included) and then every half lease; stop() ends it. */
  watchStranded(): { stop(): Promise<void> } {
    let stopped = false;
    let running: Promise<unknown> = this.resendStranded({ queuedToo: true }).catch((error: unknown) => this.log.warn({ err: error }, 'could not re-send stranded jobs'));
    const timer = setInterval(() => {
      if (stopped) return;
      running = running.then(() => this.resendStranded({ queuedToo: false })).catch((error: unknown) => this.log.warn({ err: error }, 'could not re-send stranded jobs'));
    }, Math.max(1000, (this.options.settings.leaseSeconds * 1000) / 2));
    timer.unref();
    return {
      stop: async () => {
        stopped = true;
        clearInterval(timer);
        await running;
      },
    };
  }
}
