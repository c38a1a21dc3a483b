import {
  AI_WORK_QUEUE,
  Budgets,
  createGenerator,
  GENERATION_REQUESTED,
  GenerationJobs,
  monthRange,
  readAiJobSettings,
  ResponseCache,
  type AiJobSettings,
  type AiTables,
  type BudgetStatus,
  type Generator,
  type JobEvents,
} from '@umt/ai';
import { createCache, type BackgroundServices, type CommonConfig, type TaskHandler, type WorkQueue } from '@umt/infra';
import { sql, type Kysely } from 'kysely';
import type { Keyv } from 'keyv';
import type { DB } from '../db/schema';

export interface AiUsageLine {
  agent: string | null;
  provider: string | null;
  model: string | null;
  calls: number;
  cachedAnswers: number;
  inputTokens: number;
  outputTokens: number;
  costMicroUsd: number;
  allPriced: boolean;
}

export interface AiUsageReport {
  month: string;
  budget: BudgetStatus;
  total: AiUsageLine;
  byAgent: AiUsageLine[];
  byModel: AiUsageLine[];
}

/**
 * Creation runs the agents' AI generations: the generator from AI_* configuration (offline when none), the shared
 * response cache, budgets, and the jobs of its work queue `creation.ai-jobs`. Built with the subgraph; the jobs exist
 * once the service starts (they need its database and outbox).
 */
export class CreationAi {
  readonly settings: AiJobSettings;
  readonly generator: Generator;
  private readonly cacheStore: Keyv<unknown>;
  private started: { jobs: GenerationJobs; budgets: Budgets } | undefined;

  constructor(config: CommonConfig) {
    this.settings = readAiJobSettings(config.env);
    this.generator = createGenerator(config.env, 'creation');
    this.cacheStore = createCache({ redisUrl: config.redisUrl, namespace: config.env.AI_CACHE_NAMESPACE?.trim() || 'umt-ai' });
  }

  get jobs(): GenerationJobs {
    if (!this.started) throw new Error('the creation subgraph has not started: no generation jobs yet');
    return this.started.jobs;
  }

  get budgets(): Budgets {
    if (!this.started) throw new Error('the creation subgraph has not started: no budgets yet');
    return this.started.budgets;
  }

  /** The work queue and its handler (SubgraphOptions.tasks). */
  tasks(services: BackgroundServices<DB>): { queue: WorkQueue; handlers: Record<string, TaskHandler> } {
    // Creation's schema holds every AI table; Kysely's types are invariant, so the narrower view is a cast. The
    // outbox recorder takes the same transaction back, typed by the whole schema.
    const aiDb = services.db as unknown as Kysely<AiTables>;
    const asCreation = (trx: Kysely<AiTables>) => trx as unknown as Kysely<DB>;
    const events: JobEvents = {
      requested: (trx, orgId, data) => services.events.record(asCreation(trx), 'generation.requested', orgId, data),
      budgetWarning: (trx, orgId, data) => services.events.record(asCreation(trx), 'ai.budget_warning', orgId, data),
    };
    const budgets = new Budgets(aiDb, this.settings);
    const jobs = new GenerationJobs({
      agent: 'creation',
      db: aiDb,
      generator: this.generator,
      settings: this.settings,
      cache: new ResponseCache(this.cacheStore, this.settings.cacheTtlSeconds),
      budgets,
      events,
      logger: services.logger,
    });
    this.started = { jobs, budgets };
    return {
      queue: { name: AI_WORK_QUEUE, prefetch: this.settings.concurrency },
      handlers: { [GENERATION_REQUESTED]: (envelope, ctx) => jobs.handle(envelope.data as { jobId: string }, ctx) },
    };
  }

  /** Background work: jobs left stranded by a stopped worker are sent again (SubgraphOptions.background). */
  background(): { stop(): Promise<void> } {
    const watch = this.jobs.watchStranded();
    return {
      stop: async () => {
        await watch.stop();
        await this.cacheStore.disconnect().catch(() => undefined);
      },
    };
  }

  /** A month's usage for one organization: the total, by agent, by provider and model. */
  async usage(db: Kysely<DB>, orgId: string, month: string): Promise<AiUsageReport> {
    const { from, to } = monthRange(month);
    const base = db.selectFrom('aiCalls').where('orgId', '=', orgId).where('createdAt', '>=', from).where('createdAt', '<', to);
    const measures = [
      sql<number>`count(*) filter (where outcome <> 'cached')::int`.as('calls'),
      sql<number>`count(*) filter (where outcome = 'cached')::int`.as('cachedAnswers'),
      sql<number>`coalesce(sum(input_tokens), 0)::float8`.as('inputTokens'),
      sql<number>`coalesce(sum(output_tokens), 0)::float8`.as('outputTokens'),
      sql<number>`coalesce(sum(cost_micro_usd), 0)::float8`.as('costMicroUsd'),
      sql<boolean>`coalesce(bool_and(priced), true)`.as('allPriced'),
    ] as const;
    const [total, byAgent, byModel, budget] = await Promise.all([
      base.select(measures).executeTakeFirstOrThrow(),
      base.select(['agent', ...measures]).groupBy('agent').orderBy('agent').execute(),
      base.select(['provider', 'model', ...measures]).groupBy(['provider', 'model']).orderBy('provider').orderBy('model').execute(),
      this.budgets.status(orgId, { month }),
    ]);
    const line = (row: Omit<AiUsageLine, 'agent' | 'provider' | 'model'> & Partial<Pick<AiUsageLine, 'agent' | 'provider' | 'model'>>): AiUsageLine => ({
      agent: row.agent ?? null,
      provider: row.provider ?? null,
      model: row.model ?? null,
      calls: Number(row.calls),
      cachedAnswers: Number(row.cachedAnswers),
      inputTokens: Number(row.inputTokens),
      outputTokens: Number(row.outputTokens),
      costMicroUsd: Number(row.costMicroUsd),
      allPriced: Boolean(row.allPriced),
    });
    return { month, budget, total: line(total), byAgent: byAgent.map(line), byModel: byModel.map(line) };
  }
}
