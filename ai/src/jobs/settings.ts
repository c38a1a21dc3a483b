/**
 * How generation jobs run and what they may cost, from the environment:
 *   AI_PRICES                        JSON, USD per million tokens by model name:
 *                                    {"gpt-4o-mini":{"input":0.15,"output":0.6}}; a model without a price costs 0
 *                                    and its calls say `priced: false`
 *   AI_DEFAULT_MONTHLY_BUDGET_CENTS  an organization's monthly budget until an ADMIN sets one (default 10000: $100)
 *   AI_BUDGET_WARNING_PERCENT        the share of the budget at which the warning fires (default 80)
 *   AI_CACHE_TTL_SECONDS             how long an identical request is answered from the cache (default 86400; 0: off)
 *   AI_JOB_CONCURRENCY               generations one instance runs at once (default 2)
 *   AI_JOB_LEASE_SECONDS             how long a running job is a worker's without a sign of life (default 60)
 */
import { ConfigError } from '@umt/infra';
import { z } from 'zod';

type Env = Readonly<Record<string, string | undefined>>;

/** USD per million tokens, which is also micro-USD per token. */
export interface ModelPrice {
  input: number;
  output: number;
}

/** Every variable the AI layer reads besides AI_<ID>_* (for the check that .env.example documents them). */
export const AI_VARIABLES = [
  'AI_PROVIDERS',
  'AI_PRICES',
  'AI_DEFAULT_MONTHLY_BUDGET_CENTS',
  'AI_BUDGET_WARNING_PERCENT',
  'AI_CACHE_TTL_SECONDS',
  'AI_CACHE_NAMESPACE',
  'AI_JOB_CONCURRENCY',
  'AI_JOB_LEASE_SECONDS',
] as const;

export interface AiJobSettings {
  prices: Record<string, ModelPrice>;
  defaultMonthlyBudgetCents: number;
  warningPercent: number;
  cacheTtlSeconds: number;
  concurrency: number;
  leaseSeconds: number;
}

const Prices = z.record(z.string().min(1), z.object({ input: z.number().nonnegative(), output: z.number().nonnegative() }).strict());

function integer(env: Env, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    problems.push(`${name}: expected a whole number from ${min} to ${max} (got ${JSON.stringify(raw)})`);
    return fallback;
  }
  return value;
}

export function readAiJobSettings(env: Env): AiJobSettings {
  const problems: string[] = [];
  let prices: Record<string, ModelPrice> = {};
  const rawPrices = env.AI_PRICES?.trim();
  if (rawPrices) {
    try {
      const parsed = Prices.safeParse(JSON.parse(rawPrices));
      if (parsed.success) prices = parsed.data;
      else problems.push(`AI_PRICES: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ')}; expected {"<model>":{"input":<USD per 1M tokens>,"output":<USD per 1M tokens>}}`);
    } catch {
      problems.push('AI_PRICES: not valid JSON; expected {"<model>":{"input":<USD per 1M tokens>,"output":<USD per 1M tokens>}}');
    }
  }
  const settings: AiJobSettings = {
    prices,
    defaultMonthlyBudgetCents: integer(env, 'AI_DEFAULT_MONTHLY_BUDGET_CENTS', 10_000, 0, 2_000_000_000, problems),
    warningPercent: integer(env, 'AI_BUDGET_WARNING_PERCENT', 80, 1, 100, problems),
    cacheTtlSeconds: integer(env, 'AI_CACHE_TTL_SECONDS', 86_400, 0, 31 * 86_400, problems),
    concurrency: integer(env, 'AI_JOB_CONCURRENCY', 2, 1, 64, problems),
    leaseSeconds: integer(env, 'AI_JOB_LEASE_SECONDS', 60, 1, 3600, problems),
  };
  if (problems.length) throw new ConfigError(problems);
  return settings;
}
