import { z } from 'zod';
import { ConfigError, parseEnv } from '../config';

/** How one breaker behaves. Every breaker has these; configuration sets the defaults and per-breaker overrides. */
export interface BreakerSettings {
  /** A call that has not answered after this long is aborted and counts as a timeout. */
  timeoutMs: number;
  /** The rolling window over which failures are counted. */
  windowMs: number;
  /** The breaker opens once the window holds at least this many calls ... */
  minimumCalls: number;
  /** ... and more than this share of them failed or timed out (0 < rate < 1). */
  failureRate: number;
  /** How long an open breaker refuses calls before letting probes through (HALF_OPEN). */
  openMs: number;
  /** How many calls may probe at once while HALF_OPEN; the first outcome decides. */
  halfOpenProbes: number;
}

export const DEFAULT_BREAKER_SETTINGS: BreakerSettings = {
  timeoutMs: 10_000,
  windowMs: 60_000,
  minimumCalls: 5,
  failureRate: 0.5,
  openMs: 30_000,
  halfOpenProbes: 1,
};

const positiveInt = (max: number) => z.coerce.number().int().min(1).max(max);
const settingShape = {
  timeoutMs: positiveInt(600_000),
  windowMs: positiveInt(3_600_000),
  minimumCalls: positiveInt(10_000),
  failureRate: z.coerce.number().gt(0).lt(1),
  openMs: positiveInt(3_600_000),
  halfOpenProbes: positiveInt(100),
};
const overridesSchema = z.record(z.string(), z.object(settingShape).partial().strict());

/** The variables, each documented in .env.example. */
export const breakerConfigShape = {
  BREAKER_TIMEOUT_MS: settingShape.timeoutMs.default(DEFAULT_BREAKER_SETTINGS.timeoutMs),
  BREAKER_WINDOW_MS: settingShape.windowMs.default(DEFAULT_BREAKER_SETTINGS.windowMs),
  BREAKER_MINIMUM_CALLS: settingShape.minimumCalls.default(DEFAULT_BREAKER_SETTINGS.minimumCalls),
  BREAKER_FAILURE_RATE: settingShape.failureRate.default(DEFAULT_BREAKER_SETTINGS.failureRate),
  BREAKER_OPEN_MS: settingShape.openMs.default(DEFAULT_BREAKER_SETTINGS.openMs),
  BREAKER_HALF_OPEN_PROBES: settingShape.halfOpenProbes.default(DEFAULT_BREAKER_SETTINGS.halfOpenProbes),
  /** JSON: breaker name, or a name prefix ending in '*', to partial settings, e.g. {"subgraph:*":{"timeoutMs":5000}}. */
  BREAKER_OVERRIDES: z.string().optional(),
};

export interface BreakerConfig {
  defaults: BreakerSettings;
  overrides: Record<string, Partial<BreakerSettings>>;
}

export function readBreakerConfig(environment: Record<string, string | undefined> = process.env): BreakerConfig {
  const raw = parseEnv(breakerConfigShape, environment);
  let overrides: Record<string, Partial<BreakerSettings>> = {};
  if (raw.BREAKER_OVERRIDES) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.BREAKER_OVERRIDES);
    } catch {
      throw new ConfigError(['BREAKER_OVERRIDES: expected a JSON object of breaker name to settings']);
    }
    const result = overridesSchema.safeParse(parsed);
    if (!result.success) {
      throw new ConfigError(result.error.issues.map((i) => `BREAKER_OVERRIDES: ${i.path.join('.')}: ${i.message}`));
    }
    overrides = result.data;
  }
  return {
    defaults: {
      timeoutMs: raw.BREAKER_TIMEOUT_MS,
      windowMs: raw.BREAKER_WINDOW_MS,
      minimumCalls: raw.BREAKER_MINIMUM_CALLS,
      failureRate: raw.BREAKER_FAILURE_RATE,
      openMs: raw.BREAKER_OPEN_MS,
      halfOpenProbes: raw.BREAKER_HALF_OPEN_PROBES,
    },
    overrides,
  };
}

/**
 * A breaker's settings: the defaults, then the caller's own (a subgraph fetch knows its sensible timeout), then the
 * operator's overrides: prefix patterns ('provider:*') from the shortest to the longest, then the exact name.
 */
export function settingsFor(name: string, config: BreakerConfig, own: Partial<BreakerSettings> = {}): BreakerSettings {
  const patterns = Object.keys(config.overrides)
    .filter((key) => key.endsWith('*') && name.startsWith(key.slice(0, -1)))
    .sort((a, b) => a.length - b.length);
  const layers = [own, ...patterns.map((p) => config.overrides[p]), config.overrides[name]];
  let settings: BreakerSettings = { ...config.defaults };
  for (const layer of layers) settings = { ...settings, ...definedOnly(layer ?? {}) };
  return settings;
}

/** Leaves out settings given as undefined (`{ timeoutMs: options.timeout }`), so they keep the value below them. */
function definedOnly(settings: Partial<BreakerSettings>): Partial<BreakerSettings> {
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined));
}
