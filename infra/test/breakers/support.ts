/**
 * What the breaker tests share: a real HTTP dependency on 127.0.0.1 whose behaviour a test switches, a fetch client
 * that hands the breaker's AbortSignal to fetch, bounded waits and a reader of the Prometheus text.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from '@jest/globals';
import { DEFAULT_BREAKER_SETTINGS, DependencyUnavailableError, type BreakerConfig } from '../../src/breakers';

/** How the dependency answers: 'ok' 200, 'fail' 500, 'bad-request' 400, 'hang' never, 'slow' 200 after `slowMs`. */
export type Mode = 'ok' | 'fail' | 'bad-request' | 'hang' | 'slow';

interface Reply {
  status: number;
  delayMs: number;
  hang: boolean;
}

/**
 * The dependency. Every request follows `mode`, unless its query says otherwise (`?status=500`, `?delay=200`,
 * `?hang=1`): concurrent calls of one test can then meet different answers in a known order. It counts what it
 * received, and how many requests were given up by the client (the connection closed before the response).
 */
export class DependencyServer {
  mode: Mode = 'ok';
  slowMs = 150;
  /** Requests received, by path. */
  readonly received: string[] = [];
  /** Requests whose connection closed before they were answered. */
  aborted = 0;
  /** Requests answered (a response fully written). */
  answered = 0;
  private readonly timers = new Set<NodeJS.Timeout>();

  private constructor(private readonly server: Server) {
    server.on('request', (req: IncomingMessage, res: ServerResponse) => this.handle(req, res));
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  static async start(): Promise<DependencyServer> {
    const self = new DependencyServer(createServer());
    self.server.listen(0, '127.0.0.1');
    await once(self.server, 'listening');
    // The first fetch of a process loads undici, which can take a few hundred ms on a busy machine: not in a test's
    // measurements.
    await (await fetch(self.url)).text();
    self.reset();
    return self;
  }

  get requests(): number {
    return this.received.length;
  }

  /** Back to answering 200 at once, counters at zero. */
  reset(): void {
    this.mode = 'ok';
    this.received.length = 0;
    this.aborted = 0;
    this.answered = 0;
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.url);
    this.received.push(url.pathname);
    res.on('close', () => {
      if (res.writableFinished) this.answered += 1;
      else this.aborted += 1;
    });
    const reply = this.replyFor(url.searchParams);
    if (reply.hang) return;
    const answer = () => {
      res.writeHead(reply.status, { 'content-type': 'text/plain' });
      res.end(reply.status < 400 ? `ok ${url.pathname}` : `status ${reply.status}`);
    };
    if (reply.delayMs === 0) return answer();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!res.destroyed) answer();
    }, reply.delayMs);
    this.timers.add(timer);
  }

  private replyFor(query: URLSearchParams): Reply {
    const byMode: Record<Mode, Reply> = {
      ok: { status: 200, delayMs: 0, hang: false },
      fail: { status: 500, delayMs: 0, hang: false },
      'bad-request': { status: 400, delayMs: 0, hang: false },
      hang: { status: 200, delayMs: 0, hang: true },
      slow: { status: 200, delayMs: this.slowMs, hang: false },
    };
    const reply = { ...byMode[this.mode] };
    if (query.has('status')) reply.status = Number(query.get('status'));
    if (query.has('delay')) reply.delayMs = Number(query.get('delay'));
    if (query.has('hang')) reply.hang = true;
    return reply;
  }
}

/** A non-2xx answer, as a client of the dependency would report it. */
export class HttpError extends Error {
  constructor(readonly status: number) {
    super(`the dependency answered ${status}`);
    this.name = 'HttpError';
  }
}

/** A 4xx is our own request's fault: it says nothing about the dependency's health. */
export const serverErrorsOnly = (error: unknown): boolean => !(error instanceof HttpError && error.status < 500);

/** The call a breaker wraps: GET `url` with the breaker's signal; the body on 2xx, an HttpError otherwise. */
export function get(url: string): (signal: AbortSignal) => Promise<string> {
  return async (signal) => {
    const response = await fetch(url, { signal });
    const body = await response.text();
    if (!response.ok) throw new HttpError(response.status);
    return body;
  };
}

/** Settles `promise` and says how long it took; the error, if any, in `error`. */
export async function timed<T>(promise: () => Promise<T>): Promise<{ ms: number; value?: T; error?: unknown }> {
  const started = performance.now();
  try {
    const value = await promise();
    return { ms: performance.now() - started, value };
  } catch (error) {
    return { ms: performance.now() - started, error };
  }
}

/** Waits until `condition` holds, at most `timeoutMs`, polling every 5 ms; fails the test with `what` otherwise. */
export async function waitUntil(condition: () => boolean, timeoutMs: number, what: string): Promise<number> {
  const started = performance.now();
  while (!condition()) {
    if (performance.now() - started > timeoutMs) throw new Error(`waited ${timeoutMs} ms for ${what}`);
    await sleep(5);
  }
  return performance.now() - started;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A configuration without environment: the defaults, no overrides (each test sets what it needs). */
export const NO_ENV_CONFIG: BreakerConfig = { defaults: DEFAULT_BREAKER_SETTINGS, overrides: {} };

/** The value of one series in Prometheus text, matched on every given label; undefined when absent. */
export function seriesValue(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = new Map<string, string>();
    for (const pair of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) found.set(pair[1] ?? '', pair[2] ?? '');
    if (Object.entries(labels).every(([key, value]) => found.get(key) === value)) return Number(match[3]);
  }
  return undefined;
}

/** Asserts that a call failed with DependencyUnavailableError for `reason`, naming `dependency`. */
export function expectUnavailable(error: unknown, reason: 'open' | 'timeout', dependency: string): void {
  expect(error).toBeInstanceOf(DependencyUnavailableError);
  expect(error).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', reason, dependency });
  expect((error as Error).message).toContain(dependency);
  expect((error as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(0);
}
