import type { TokenUsage } from '../types';
import type { ModelPrice } from './settings';

/**
 * What one call cost, in micro-USD, rounded up to the next whole micro-dollar. A price is USD per million tokens,
 * which is exactly micro-USD per token. Without a price the call is recorded at 0 and marked unpriced.
 */
export function callCost(usage: Pick<TokenUsage, 'inputTokens' | 'outputTokens'>, price: ModelPrice | undefined): { costMicroUsd: number; priced: boolean } {
  if (!price) return { costMicroUsd: 0, priced: false };
    // The small allowance keeps float error (100 × 0.07) from adding a micro-dollar; max() keeps zero from being -0.
  return { costMicroUsd: Math.max(0, Math.ceil(usage.inputTokens * price.input + usage.outputTokens * price.output - 1e-9)), priced: true };
}

/** The calendar month (UTC) a moment belongs to, as '2026-12'. */
export function monthOf(at: Date): string {
  return at.toISOString().slice(0, 7);
}

/** The first instant of a month ('2026-12') and of the month after it, UTC. */
export function monthRange(month: string): { from: Date; to: Date } {
  const [year, mon] = month.split('-').map(Number) as [number, number];
  return { from: new Date(Date.UTC(year, mon - 1, 1)), to: new Date(Date.UTC(year, mon, 1)) };
}

export type BudgetState = 'OK' | 'WARNING' | 'EXCEEDED';

/** Where spending stands against a budget: EXCEEDED once it reaches the limit, WARNING from the warning share. */
export function budgetState(spentMicroUsd: number, limitCents: number, warningPercent: number): BudgetState {
  const limitMicroUsd = limitCents * 10_000;
  if (spentMicroUsd >= limitMicroUsd) return 'EXCEEDED';
  if (spentMicroUsd * 100 >= limitMicroUsd * warningPercent) return 'WARNING';
  return 'OK';
}
