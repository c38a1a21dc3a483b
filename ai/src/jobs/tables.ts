import { sql, type ColumnType, type Generated, type Kysely, type Migration, type Selectable } from 'kysely';

export type JobStatus = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED';
export const JOB_STATUSES: readonly JobStatus[] = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED'];

/** jsonb: written as JSON text, read back parsed. */
type Json = ColumnType<unknown, string, string>;

/** One generation: a task's input, where it stands, and what it produced or why it failed. */
export interface GenerationJobTable {
  id: Generated<string>;
  orgId: string;
  /** The agent that asked for it (cost is reported per agent). */
  agent: string;
  task: string;
  status: Generated<JobStatus>;
  input: Json;
  result: ColumnType<unknown, string | null, string | null>;
  errorCode: string | null;
  errorMessage: string | null;
  /** 0–100, an estimate while RUNNING. */
  progress: Generated<number>;
  /** Runs started: 1 on the first, more after a crash or a retried failure. */
  attempts: Generated<number>;
  promptVersion: string;
  provider: string | null;
  model: string | null;
  offline: Generated<boolean>;
  cached: Generated<boolean>;
  inputTokens: Generated<number>;
  outputTokens: Generated<number>;
  tokensEstimated: Generated<boolean>;
  costMicroUsd: Generated<number>;
  /** While RUNNING: the worker's claim, extended as it makes progress; past it, another worker may take the job. */
  leaseUntil: Date | null;
  createdBy: string | null;
  createdAt: Generated<Date>;
  startedAt: Date | null;
  finishedAt: Date | null;
  updatedAt: Generated<Date>;
}

export type CallOutcome = 'success' | 'invalid_output' | 'failed' | 'cached';

/** One model call (or one answer served from the cache): the ledger cost reports and budgets read. */
export interface AiCallTable {
  id: Generated<string>;
  orgId: string;
  agent: string;
  jobId: string | null;
  task: string;
  provider: string;
  model: string;
  outcome: CallOutcome;
  inputTokens: number;
  outputTokens: number;
  tokensEstimated: boolean;
  costMicroUsd: number;
  /** False when no price is configured for the model: the cost is then recorded as 0. */
  priced: boolean;
  createdAt: Generated<Date>;
}

/** An organization's own monthly budget (without a row, the configured default applies). */
export interface AiBudgetTable {
  orgId: string;
  monthlyLimitCents: number;
  warningPercent: number;
  updatedAt: Generated<Date>;
}

/** The month ('2026-12') whose warning an organization has had: the warning fires once a month. */
export interface AiBudgetWarningTable {
  orgId: string;
  month: string;
  sentAt: Generated<Date>;
}

export interface AiTables {
  generationJobs: GenerationJobTable;
  aiCalls: AiCallTable;
  aiBudgets: AiBudgetTable;
  aiBudgetWarnings: AiBudgetWarningTable;
}

export type GenerationJobRow = Selectable<GenerationJobTable>;
export type AiCallRow = Selectable<AiCallTable>;

// Migrations see the database as it was when they were written.
type AnyDB = Kysely<Record<string, never>>;

/** The AI tables, in the schema of the subgraph that runs generation jobs (0200: the AI layer's range). */
export const aiMigrations: Record<string, Migration> = {
  '0200_ai_jobs': {
    async up(db: AnyDB) {
      await db.schema
        .createTable('generation_jobs')
        .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
        .addColumn('org_id', 'uuid', (c) => c.notNull())
        .addColumn('agent', 'text', (c) => c.notNull())
        .addColumn('task', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('QUEUED').check(sql`status in ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED')`))
        .addColumn('input', 'jsonb', (c) => c.notNull())
        .addColumn('result', 'jsonb')
        .addColumn('error_code', 'text')
        .addColumn('error_message', 'text')
        .addColumn('progress', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('prompt_version', 'text', (c) => c.notNull())
        .addColumn('provider', 'text')
        .addColumn('model', 'text')
        .addColumn('offline', 'boolean', (c) => c.notNull().defaultTo(false))
        .addColumn('cached', 'boolean', (c) => c.notNull().defaultTo(false))
        .addColumn('input_tokens', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('output_tokens', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('tokens_estimated', 'boolean', (c) => c.notNull().defaultTo(false))
        .addColumn('cost_micro_usd', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('lease_until', 'timestamptz')
        .addColumn('created_by', 'uuid')
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('started_at', 'timestamptz')
        .addColumn('finished_at', 'timestamptz')
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema.createIndex('generation_jobs_org_page_idx').on('generation_jobs').columns(['org_id', 'created_at', 'id']).execute();
      await db.schema.createIndex('generation_jobs_unfinished_idx').on('generation_jobs').columns(['status', 'lease_until']).where(sql.ref('status'), 'in', sql`('QUEUED', 'RUNNING')`).execute();
      await db.schema
        .createTable('ai_calls')
        .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
        .addColumn('org_id', 'uuid', (c) => c.notNull())
        .addColumn('agent', 'text', (c) => c.notNull())
        .addColumn('job_id', 'uuid')
        .addColumn('task', 'text', (c) => c.notNull())
        .addColumn('provider', 'text', (c) => c.notNull())
        .addColumn('model', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull().check(sql`outcome in ('success', 'invalid_output', 'failed', 'cached')`))
        .addColumn('input_tokens', 'integer', (c) => c.notNull())
        .addColumn('output_tokens', 'integer', (c) => c.notNull())
        .addColumn('tokens_estimated', 'boolean', (c) => c.notNull())
        .addColumn('cost_micro_usd', 'integer', (c) => c.notNull())
        .addColumn('priced', 'boolean', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema.createIndex('ai_calls_org_time_idx').on('ai_calls').columns(['org_id', 'created_at', 'id']).execute();
      await db.schema
        .createTable('ai_budgets')
        .addColumn('org_id', 'uuid', (c) => c.primaryKey())
        .addColumn('monthly_limit_cents', 'integer', (c) => c.notNull().check(sql`monthly_limit_cents >= 0`))
        .addColumn('warning_percent', 'integer', (c) => c.notNull().check(sql`warning_percent between 1 and 100`))
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema
        .createTable('ai_budget_warnings')
        .addColumn('org_id', 'uuid', (c) => c.notNull())
        .addColumn('month', 'text', (c) => c.notNull())
        .addColumn('sent_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addPrimaryKeyConstraint('ai_budget_warnings_pk', ['org_id', 'month'])
        .execute();
    },
  },
};
