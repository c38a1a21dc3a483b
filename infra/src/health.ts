/**
 * Liveness and readiness routes, the same for the gateway and every subgraph.
 *
 * - `/health/live`: the process answers, so its event loop turns; no dependency is asked (a restart would not bring
 *   one back).
 * - `/health/ready`: started, not shutting down, and its dependencies answer within 1 s. A dependency the service
 *   cannot serve without (`required`: a subgraph's database) makes it unavailable (503). One it can serve without
 *   (`degradable`: the broker, whose events wait in the outbox; Redis, whose cache reads miss and whose rate limits
 *   fail open) makes it `degraded` but still ready (200), unless `strict` (READINESS_STRICT): an outage of a shared
 *   dependency must not take every instance out of rotation at once when they can all still serve.
 */
import type { FastifyInstance } from 'fastify';
import { valueWithin } from './timeout';

/** Longest wait for one check: a dependency that does not answer in time counts as down. */
const HEALTH_CHECK_TIMEOUT_MS = 1_000;

/** Health probes come every few seconds and are not traced: their request lines are left out below warn. */
const HEALTH_ROUTE = { logLevel: 'warn' } as const;

/** A dependency's check; undefined when the service does not use it (reported as 'n/a'). */
export type HealthCheck = (() => Promise<boolean> | boolean) | undefined;

export interface HealthOptions {
  service: string;
  /** Started: migrated, consuming, listening. */
  started: () => boolean;
  shuttingDown: () => boolean;
  required: Record<string, HealthCheck>;
  degradable: Record<string, HealthCheck>;
  strict: boolean;
  /** Fields added to the readiness body (kept for older readers). */
  extra?: (checks: Record<string, string>) => Record<string, unknown>;
}

/** `check`'s answer, or false once it has taken longer than `ms` (or failed). */
async function within(ms: number, check: () => Promise<boolean> | boolean): Promise<boolean> {
  return (await valueWithin(Promise.resolve().then(check).catch(() => false), ms)) ?? false;
}

type CheckState = 'up' | 'down' | 'n/a';

async function runChecks(checks: Record<string, HealthCheck>): Promise<Record<string, CheckState>> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]): Promise<[string, CheckState]> => [
      name,
      check ? ((await within(HEALTH_CHECK_TIMEOUT_MS, check)) ? 'up' : 'down') : 'n/a',
    ]),
  );
  return Object.fromEntries(entries);
}

export function registerHealthRoutes(app: FastifyInstance, options: HealthOptions): void {
  const { service } = options;
  let lastStatus: string | undefined;

  app.get('/health/live', HEALTH_ROUTE, async () => ({ status: 'ok', service }));

  app.get('/health/ready', HEALTH_ROUTE, async (_request, reply) => {
    const [required, degradable] = await Promise.all([runChecks(options.required), runChecks(options.degradable)]);
    const checks = { ...required, ...degradable };
    const shuttingDown = options.shuttingDown();
    const requiredDown = Object.values(required).includes('down');
    const degradableDown = Object.values(degradable).includes('down');
    const status =
      !options.started() || shuttingDown || requiredDown || (options.strict && degradableDown)
        ? 'unavailable'
        : degradableDown
          ? 'degraded'
          : 'ready';
    // A change is logged once; start and shutdown are logged elsewhere.
    if (options.started() && !shuttingDown && status !== lastStatus) {
      if (status === 'ready') app.log.info({ checks }, 'ready');
      else app.log.warn({ checks, status }, status === 'degraded' ? 'degraded: a dependency is down' : 'not ready: a dependency is down');
      lastStatus = status;
    }
    return reply.code(status === 'unavailable' ? 503 : 200).send({ status, service, checks, ...options.extra?.(checks), shuttingDown });
  });
}

/**
 * The drain at the start of a shutdown: the caller's readiness already answers 503; this waits out
 * SHUTDOWN_DRAIN_SECONDS while everything else keeps serving, so a load balancer moves traffic away first.
 */
export async function drainPeriod(log: FastifyInstance['log'], seconds: number): Promise<void> {
  if (seconds === 0) return;
  log.info({ drainSeconds: seconds }, 'draining: not ready, still serving until the drain period ends');
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
}
