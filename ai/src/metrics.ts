import { metricsRegistry } from '@umt/infra';
import { Counter } from 'prom-client';

const registers = [metricsRegistry];

export const aiTokens = new Counter({
  name: 'umt_ai_tokens_total',
  help: 'Tokens sent to and received from AI providers, by agent, provider, model and direction (input, output).',
  labelNames: ['agent', 'provider', 'model', 'direction'] as const,
  registers,
});

export const aiCost = new Counter({
  name: 'umt_ai_cost_micro_usd_total',
  help: 'What AI calls cost, in millionths of a US dollar (prices from AI_PRICES), by agent, provider and model.',
  labelNames: ['agent', 'provider', 'model'] as const,
  registers,
});

export const aiCacheHits = new Counter({
  name: 'umt_ai_cache_hits_total',
  help: 'Generations answered from the shared cache (no provider call), by agent and task.',
  labelNames: ['agent', 'task'] as const,
  registers,
});

export const aiJobsFinished = new Counter({
  name: 'umt_ai_jobs_total',
  help: 'Generation jobs finished, by agent, task and outcome (succeeded, failed).',
  labelNames: ['agent', 'task', 'outcome'] as const,
  registers,
});

export const aiBudgetWarnings = new Counter({
  name: 'umt_ai_budget_warnings_total',
  help: 'Organizations whose monthly AI spending crossed the warning share of their budget (once per organization and month).',
  labelNames: ['agent'] as const,
  registers,
});

export const aiBudgetRefusals = new Counter({
  name: 'umt_ai_budget_refusals_total',
  help: 'Generations refused because the organization had spent its monthly AI budget (no provider call made).',
  labelNames: ['agent'] as const,
  registers,
});
