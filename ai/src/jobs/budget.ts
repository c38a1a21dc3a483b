import { graphError } from '@umt/infra';
import { sql, type Kysely } from 'kysely';
import { budgetState, monthOf, monthRange, type BudgetState } from './cost';
import type { AiJobSettings } from './settings';
import type { AiTables } from './tables';

export interface BudgetStatus {
  month: string;
  monthlyLimitCents: number;
  warningPercent: number;
  /** True when the organization has not set its own: the configured default applies. */
  isDefault: boolean;
  spentMicroUsd: number;
  state: BudgetState;
}

/** Refusal of a model call: the organization's monthly budget is spent. */
export class BudgetExceededError extends Error {
  readonly code = 'BUDGET_EXCEEDED';
  constructor(readonly status: BudgetStatus) {
    super(
      `The organization's AI budget for ${status.month} is spent ($${(status.spentMicroUsd / 1e6).toFixed(2)} of $${(status.monthlyLimitCents / 100).toFixed(2)}): ` +
        'no model is called until next month or until an ADMIN raises the budget.',
    );
    this.name = 'BudgetExceededError';
  }

  toGraphError() {
    return graphError('BUDGET_EXCEEDED', this.message, { month: this.status.month, monthlyLimitCents: this.status.monthlyLimitCents });
  }
}

/** Monthly budgets per organization, against the spending recorded in ai_calls. */
export class Budgets {
  constructor(
    private readonly db: Kysely<AiTables>,
    private readonly settings: Pick<AiJobSettings, 'defaultMonthlyBudgetCents' | 'warningPercent'>,
  ) {}

  async spent(orgId: string, month: string, db: Kysely<AiTables> = this.db): Promise<number> {
    const { from, to } = monthRange(month);
    const row = await db
      .selectFrom('aiCalls')
      .select(sql<number>`coalesce(sum(cost_micro_usd), 0)::float8`.as('spent'))
      .where('orgId', '=', orgId)
      .where('createdAt', '>=', from)
      .where('createdAt', '<', to)
      .executeTakeFirstOrThrow();
    return Number(row.spent);
  }

  /** The organization's budget this month (or `month`), read through `db` (a transaction that just spent). */
  async status(orgId: string, options: { month?: string; db?: Kysely<AiTables> } = {}): Promise<BudgetStatus> {
    const month = options.month ?? monthOf(new Date());
    const db = options.db ?? this.db;
    const own = await db.selectFrom('aiBudgets').select(['monthlyLimitCents', 'warningPercent']).where('orgId', '=', orgId).executeTakeFirst();
    const spentMicroUsd = await this.spent(orgId, month, db);
    const monthlyLimitCents = own?.monthlyLimitCents ?? this.settings.defaultMonthlyBudgetCents;
    const warningPercent = own?.warningPercent ?? this.settings.warningPercent;
    return { month, monthlyLimitCents, warningPercent, isDefault: !own, spentMicroUsd, state: budgetState(spentMicroUsd, monthlyLimitCents, warningPercent) };
  }

  /** Throws BudgetExceededError when the month's budget is spent; calls run only below it. */
  async assertAvailable(orgId: string): Promise<BudgetStatus> {
    const status = await this.status(orgId);
    if (status.state === 'EXCEEDED') throw new BudgetExceededError(status);
    return status;
  }

  async set(orgId: string, monthlyLimitCents: number, warningPercent: number | undefined): Promise<BudgetStatus> {
    const percent = warningPercent ?? this.settings.warningPercent;
    await this.db
      .insertInto('aiBudgets')
      .values({ orgId, monthlyLimitCents, warningPercent: percent })
      .onConflict((oc) => oc.column('orgId').doUpdateSet({ monthlyLimitCents, warningPercent: percent, updatedAt: sql`now()` }))
      .execute();
    return this.status(orgId);
  }

  /**
   * After spending: when the month's spending has reached the warning share, claims the month's warning. True for
   * exactly one caller per organization and month (the row's key decides), who then sends the event.
   */
  async claimWarning(trx: Kysely<AiTables>, orgId: string, status: BudgetStatus): Promise<boolean> {
    if (status.state === 'OK') return false;
    const claimed = await trx
      .insertInto('aiBudgetWarnings')
      .values({ orgId, month: status.month })
      .onConflict((oc) => oc.columns(['orgId', 'month']).doNothing())
      .returning('month')
      .executeTakeFirst();
    return Boolean(claimed);
  }
}
