/**
 * The one circuit breaker of the platform, built on brakes.
 *
 * brakes keeps the rolling window (buckets over `windowMs`), the call timeout, the latency percentiles and the
 * decision to open: once the window holds `minimumCalls` calls and more than `failureRate` of them failed or timed
 * out. While open, brakes short-circuits calls (and counts them). brakes has no half-open state of its own: it closes
 * when its health-check hook resolves. The wrapper builds HALF_OPEN on that hook:
 * - `openMs` after opening, the breaker is HALF_OPEN: up to `halfOpenProbes` real calls go through (beside brakes,
 *   with the same timeout), the rest are still short-circuited;
 * - the first probe to succeed closes the breaker: the wrapper reports CLOSED at once, and brakes' health check,
 *   which polls the wrapper's verdict every few tens of milliseconds while open, resets the window and closes brakes;
 * - a probe that fails re-opens it for another `openMs`;
 * - the first probe outcome of a half-open period decides: a probe still running when it ended changes nothing.
 * Every call gets an AbortSignal that fires when its deadline passes, so the request itself stops, not only the wait.
 */
// brakes ships no types; its declaration is ambient, so a program that reaches this file only through imports (the
// tests' tsconfig, which includes no src/types) needs the reference. An import would be a runtime require of a .d.ts.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="../types/brakes.d.ts" />
import { context, trace } from '@opentelemetry/api';
import Brakes from 'brakes';
import type { Logger } from 'pino';
import { breakerCalls, breakerCallDuration, breakerState, breakerTransitions } from '../metrics';
import { DependencyUnavailableError } from './errors';
import { readBreakerConfig, settingsFor, type BreakerConfig, type BreakerSettings } from './settings';

export type BreakerState = 'CLOSED' | 'OPEN' | 'HALF_OPEN';
/** What sits behind the breaker: another service of ours, an external platform, an AI provider, a website. */
export type DependencyKind = 'SUBGRAPH' | 'PLATFORM' | 'AI' | 'WEBSITE';
type Outcome = 'success' | 'failure' | 'timeout' | 'short_circuit' | 'ignored';

export interface BreakerOptions {
  /** The service that owns the breaker (gateway, auth, ...): the label of its metrics and monitoring rows. */
  service: string;
  /** Unique in the service, `kind:dependency`-like, e.g. 'subgraph:brand', 'platform:linkedin'. */
  name: string;
  kind: DependencyKind;
  /** Names the dependency in errors and on the dashboard, e.g. 'the LinkedIn API'. */
  dependency: string;
  /** Settings this caller knows best; configuration overrides them. */
  settings?: Partial<BreakerSettings>;
  config?: BreakerConfig;
  /** Errors that say nothing about the dependency's health (our own invalid request) do not count as failures. */
  isFailure?: (error: unknown) => boolean;
  logger?: Pick<Logger, 'info' | 'warn'>;
}

export interface CallOptions<T> {
  /** Answers instead of the dependency while the breaker refuses calls. */
  fallback?: (error: DependencyUnavailableError) => T | Promise<T>;
}

interface Totals {
  successes: number;
  failures: number;
  timeouts: number;
  shortCircuits: number;
  ignored: number;
  probes: number;
}

export interface BreakerSnapshot {
  service: string;
  name: string;
  kind: DependencyKind;
  dependency: string;
  state: BreakerState;
  stateChangedAt: Date;
  /** When an OPEN breaker starts letting probes through. */
  halfOpenAt: Date | null;
  settings: BreakerSettings;
  /** Over the rolling window, as brakes last summed it (at most a second old). */
  window: {
    calls: number;
    successes: number;
    failures: number;
    timeouts: number;
    shortCircuits: number;
    latencyMeanMs: number;
    latencyP50Ms: number;
    latencyP95Ms: number;
    latencyP99Ms: number;
    at: Date | null;
  };
  /** Since the process started. */
  totals: Totals;
}

const STATE_VALUE: Record<BreakerState, number> = { CLOSED: 0, HALF_OPEN: 1, OPEN: 2 };
/** How often brakes asks for the half-open verdict while open: how long brakes may lag behind a successful probe. */
const VERDICT_POLL_MS = 50;
const SNAPSHOT_INTERVAL_MS = 1000;
const tracer = trace.getTracer('@umt/infra/breakers');

let sharedConfig: BreakerConfig | undefined;

/**
 * Sets the process's breaker configuration (read once at a service's start, so a bad BREAKER_* variable stops the
 * service there rather than failing its first outbound call). Breakers created before keep their settings.
 */
export function configureBreakers(config: BreakerConfig): void {
  sharedConfig = config;
}

/** A call for brakes to run: brakes passes it through, so one brakes instance serves every call of the breaker. */
type Job = () => Promise<unknown>;

/**
 * brakes 3.1's destroy() only removes listeners: its bucket and snapshot intervals, and the health-check poll of an
 * open circuit, keep running (and keep the breaker reachable). The internals needed to stop them (lib/Brakes.js,
 * lib/Stats.js).
 */
interface BrakesTimers {
  _healthInterval?: NodeJS.Timeout;
  _stats: { stopSnapshots(): boolean; _stopBucketSpinning(): boolean };
}

export class CircuitBreaker {
  readonly service: string;
  readonly name: string;
  readonly kind: DependencyKind;
  readonly dependency: string;
  readonly settings: BreakerSettings;
  private readonly brakes: Brakes<[Job], unknown>;
  private readonly isFailure: (error: unknown) => boolean;
  private readonly logger: Pick<Logger, 'info' | 'warn'> | undefined;
  private current: BreakerState = 'CLOSED';
  private changedAt = new Date();
  private openedAt = 0;
  private probesInFlight = 0;
  /** Counts half-open periods: a probe decides only the period it started in. */
  private halfOpenPeriod = 0;
  private halfOpenTimer: NodeJS.Timeout | undefined;
  private lastWindow: BreakerSnapshot['window'] = emptyWindow();
  readonly totals: Totals = { successes: 0, failures: 0, timeouts: 0, shortCircuits: 0, ignored: 0, probes: 0 };

  constructor(options: BreakerOptions) {
    this.service = options.service;
    this.name = options.name;
    this.kind = options.kind;
    this.dependency = options.dependency;
    this.isFailure = options.isFailure ?? (() => true);
    this.logger = options.logger;
    this.settings = settingsFor(options.name, options.config ?? (sharedConfig ??= readBreakerConfig()), options.settings);
    const s = this.settings;
    const buckets = 10;
    this.brakes = new Brakes<[Job], unknown>((job: Job) => job(), {
      name: `${options.service}/${options.name}`,
      isPromise: true,
      registerGlobal: false,
      modifyError: false,
      timeout: s.timeoutMs,
      bucketNum: buckets,
      bucketSpan: Math.max(1, Math.ceil(s.windowMs / buckets)),
      statInterval: SNAPSHOT_INTERVAL_MS,
      waitThreshold: s.minimumCalls - 1, // brakes opens once total > waitThreshold
      // brakes opens when successes / total < threshold. Rounded so that a failure share of exactly failureRate does
      // not open it (1 - 0.7 is 0.30000000000000004 in floating point, and 3 / 10 is below that).
      threshold: Math.round((1 - s.failureRate) * 1e9) / 1e9,
      circuitDuration: s.openMs, // unused: the health check below decides when brakes closes
      healthCheck: () => this.verdict(),
      healthCheckInterval: VERDICT_POLL_MS,
      percentiles: [0.5, 0.95, 0.99],
      isFailure: (error: unknown) => this.isFailure(error),
    });
    this.brakes.on('circuitOpen', () => {
      this.openedAt = Date.now();
      this.transition('OPEN', 'the failure rate crossed its threshold');
    });
    this.brakes.on('healthCheckFailed', () => undefined); // "no verdict yet": expected while open
    this.brakes.on('snapshot', (snapshot) => {
      const stats = snapshot.stats;
      this.lastWindow = {
        calls: stats.total,
        successes: stats.successful,
        failures: stats.failed,
        timeouts: stats.timedOut,
        shortCircuits: stats.shortCircuited,
        latencyMeanMs: stats.latencyMean,
        latencyP50Ms: stats.percentiles['0.5'] ?? 0,
        latencyP95Ms: stats.percentiles['0.95'] ?? 0,
        latencyP99Ms: stats.percentiles['0.99'] ?? 0,
        at: new Date(),
      };
    });
    breakerState.set(this.labels(), STATE_VALUE.CLOSED);
  }

  get state(): BreakerState {
    return this.current;
  }

  /** Runs `fn` through the breaker. `fn` must stop its request when the signal aborts. */
  async call<T>(fn: (signal: AbortSignal) => Promise<T>, options: CallOptions<T> = {}): Promise<T> {
    if (this.current === 'CLOSED' && !this.brakes.isOpen()) return this.throughBrakes(fn, options);
    if (this.current === 'CLOSED') return this.besideBrakes(fn, false); // a probe passed; brakes closes within VERDICT_POLL_MS
    if (this.current === 'HALF_OPEN' && this.probesInFlight < this.settings.halfOpenProbes) return this.besideBrakes(fn, true);
    return this.shortCircuit(options);
  }

  snapshot(): BreakerSnapshot {
    return {
      service: this.service,
      name: this.name,
      kind: this.kind,
      dependency: this.dependency,
      state: this.current,
      stateChangedAt: this.changedAt,
      halfOpenAt: this.current === 'OPEN' ? new Date(this.openedAt + this.settings.openMs) : null,
      settings: { ...this.settings },
      window: { ...this.lastWindow },
      totals: { ...this.totals },
    };
  }

  /** Stops the breaker's timers (brakes' buckets and snapshots); for shutdown and tests. */
  destroy(): void {
    clearTimeout(this.halfOpenTimer);
    const timers = this.brakes as unknown as BrakesTimers;
    clearInterval(timers._healthInterval);
    timers._healthInterval = undefined;
    timers._stats.stopSnapshots();
    timers._stats._stopBucketSpinning();
    this.brakes.destroy();
  }

  private async throughBrakes<T>(fn: (signal: AbortSignal) => Promise<T>, options: CallOptions<T>): Promise<T> {
    const controller = new AbortController();
    const started = performance.now();
    try {
      const value = (await this.brakes.exec(() => fn(controller.signal))) as T;
      this.count('success', started);
      return value;
    } catch (error) {
      if (isBrakesTimeout(error)) {
        const unavailable = new DependencyUnavailableError(this.name, this.dependency, 'timeout', 1);
        controller.abort(unavailable);
        this.count('timeout', started);
        throw unavailable;
      }
      if (isBrakesShortCircuit(error)) {
        // Opened between the check and the call: the same as any refused call.
        return this.shortCircuit(options, false);
      }
      this.count(this.isFailure(error) ? 'failure' : 'ignored', started);
      throw error;
    }
  }

  /**
   * Runs `fn` with the same deadline as brakes but without it: a probe while HALF_OPEN, or a call in the moment
   * between a probe's success and brakes closing (not a probe: it decides nothing).
   */
  private async besideBrakes<T>(fn: (signal: AbortSignal) => Promise<T>, probe: boolean): Promise<T> {
    const period = this.halfOpenPeriod;
    const decides = () => probe && this.current === 'HALF_OPEN' && this.halfOpenPeriod === period;
    if (probe) {
      this.probesInFlight += 1;
      this.totals.probes += 1;
    }
    const controller = new AbortController();
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        const unavailable = new DependencyUnavailableError(this.name, this.dependency, 'timeout', 1);
        controller.abort(unavailable);
        reject(unavailable);
      }, this.settings.timeoutMs);
      timer.unref();
    });
    try {
      const value = await Promise.race([fn(controller.signal), deadline]);
      this.count('success', started);
      if (decides()) this.transition('CLOSED', 'a probe succeeded');
      return value;
    } catch (error) {
      const timedOut = error instanceof DependencyUnavailableError && controller.signal.aborted;
      const counts = timedOut || this.isFailure(error);
      this.count(timedOut ? 'timeout' : counts ? 'failure' : 'ignored', started);
      if (counts && decides()) {
        this.openedAt = Date.now();
        this.transition('OPEN', timedOut ? 'a probe timed out' : 'a probe failed');
      }
      throw error;
    } finally {
      clearTimeout(timer);
      // A probe of an earlier half-open period no longer holds a place: that period's count started again at 0.
      if (probe && this.halfOpenPeriod === period) this.probesInFlight -= 1;
    }
  }

  private async shortCircuit<T>(options: CallOptions<T>, count = true): Promise<T> {
    // Through brakes, which refuses it and counts it in its window (it is open whenever the wrapper is).
    if (count && this.brakes.isOpen()) this.brakes.exec(() => Promise.resolve()).catch(() => undefined);
    this.totals.shortCircuits += 1;
    breakerCalls.inc({ ...this.labels(), outcome: 'short_circuit' });
    const waitMs = Math.max(0, this.openedAt + this.settings.openMs - Date.now());
    const error = new DependencyUnavailableError(this.name, this.dependency, 'open', Math.max(1, Math.ceil(waitMs / 1000)));
    if (options.fallback) return options.fallback(error);
    throw error;
  }

  /** brakes' health check: passes once the wrapper closed the breaker on a successful probe. */
  private verdict(): Promise<void> {
    return this.current === 'CLOSED' ? Promise.resolve() : Promise.reject(new Error('no successful probe yet'));
  }

  private count(outcome: Outcome, started: number): void {
    const key = ({ success: 'successes', failure: 'failures', timeout: 'timeouts', short_circuit: 'shortCircuits', ignored: 'ignored' } as const)[outcome];
    this.totals[key] += 1;
    breakerCalls.inc({ ...this.labels(), outcome });
    breakerCallDuration.observe({ ...this.labels(), outcome }, (performance.now() - started) / 1000);
  }

  private transition(to: BreakerState, why: string): void {
    const from = this.current;
    if (from === to) return;
    this.current = to;
    this.changedAt = new Date();
    breakerState.set(this.labels(), STATE_VALUE[to]);
    breakerTransitions.inc({ ...this.labels(), to });
    const fields = { breaker: this.name, dependency: this.dependency, from, to, why };
    if (to === 'CLOSED') this.logger?.info(fields, 'circuit breaker closed');
    else this.logger?.warn(fields, to === 'OPEN' ? 'circuit breaker opened' : 'circuit breaker half-open');
    // A short span under whatever the breaker was doing, so a trace shows where a dependency's circuit changed.
    const span = tracer.startSpan(`circuit breaker ${to}`, {
      attributes: { 'umt.breaker.name': this.name, 'umt.breaker.from': from, 'umt.breaker.to': to, 'umt.breaker.reason': why },
    }, context.active());
    span.end();
    clearTimeout(this.halfOpenTimer);
    if (to === 'HALF_OPEN') {
      this.halfOpenPeriod += 1;
      this.probesInFlight = 0;
    }
    if (to === 'OPEN') {
      this.halfOpenTimer = setTimeout(() => this.transition('HALF_OPEN', `${this.settings.openMs} ms passed`), Math.max(0, this.openedAt + this.settings.openMs - Date.now()));
      this.halfOpenTimer.unref();
    }
  }

  private labels(): { service: string; breaker: string } {
    return { service: this.service, breaker: this.name };
  }
}

function emptyWindow(): BreakerSnapshot['window'] {
  return { calls: 0, successes: 0, failures: 0, timeouts: 0, shortCircuits: 0, latencyMeanMs: 0, latencyP50Ms: 0, latencyP95Ms: 0, latencyP99Ms: 0, at: null };
}

function isBrakesTimeout(error: unknown): boolean {
  return error instanceof Error && error.constructor.name === 'TimeOutError';
}

function isBrakesShortCircuit(error: unknown): boolean {
  return error instanceof Error && error.constructor.name === 'CircuitBrokenError';
}
