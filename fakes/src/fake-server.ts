/**
 * The frame of every fake provider: a real HTTP server on loopback with a small router, a record of every request
 * it received, and faults a test (or a person trying the sandbox) can order: fail, hang, slow down, rate-limit, or
 * expire every token. Faults are ordered in process (`server.faults`) or over HTTP (`POST /_fake/faults`), so a test
 * can drive a fake that a service in another process calls.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | undefined>;
  /** JSON or form bodies parsed (form as a plain object), anything else as text; raw bytes in `raw`. */
  body: unknown;
  raw: Buffer;
  at: Date;
}

export interface FakeReply {
  status: number;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string or Buffer as is. */
  body?: unknown;
}

export type Handler = (request: RecordedRequest, params: Record<string, string>) => FakeReply | Promise<FakeReply>;

/**
 * What the provider answers for a kind of failure, in its own documented error shape; `fault` is the ordered fault
 * that caused it, when one did (its `retryAfterSeconds`, for providers that say how long to wait in the body).
 */
export type ErrorShape = (kind: FaultKind, status: number, fault?: Fault) => FakeReply;

export type FaultKind = 'fail' | 'rate_limit' | 'expired_token' | 'invalid' | 'hang' | 'delay';

export interface Fault {
  kind: FaultKind;
  /** How many matching requests it applies to (default: every request until reset). */
  times?: number;
  /** HTTP status for 'fail' (default 503) and 'invalid' (default 400). */
  status?: number;
  /** Seconds the client is told to wait ('rate_limit'). */
  retryAfterSeconds?: number;
  /** Milliseconds to wait before answering ('delay'). */
  delayMs?: number;
  /** Only requests whose path starts with this (default: every API request; the control routes never). */
  pathPrefix?: string;
}

interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: Handler;
}

export class FakeServer {
  readonly requests: RecordedRequest[] = [];
  private readonly routes: Route[] = [];
  private faultPlan: Fault[] = [];
  private server: Server | undefined;
  private hung = new Set<ServerResponse>();
  private baseUrl = '';
  /** Set by the provider: every issued token turns invalid ('expired_token' fault) until the provider issues new ones. */
  tokensExpired = false;

  constructor(
    readonly name: string,
    private readonly errorShape: ErrorShape,
  ) {}

  get url(): string {
    if (!this.baseUrl) throw new Error(`fake ${this.name} is not started`);
    return this.baseUrl;
  }

  route(method: string, path: string, handler: Handler): this {
    const names: string[] = [];
    const pattern = new RegExp(
      `^${path.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/:(\w+)/g, (_m, name: string) => {
        names.push(name);
        return '([^/]+)';
      })}$`,
    );
    this.routes.push({ method: method.toUpperCase(), pattern, names, handler });
    return this;
  }

  /** Orders a fault; the newest matching fault wins. */
  fault(fault: Fault): void {
    if (fault.kind === 'expired_token') {
      this.tokensExpired = true;
      return;
    }
    this.faultPlan.unshift({ ...fault });
  }

  /** Clears faults and expiry (the record of requests stays; `clearRequests` empties it). */
  reset(): void {
    this.faultPlan = [];
    this.tokensExpired = false;
    for (const response of this.hung) response.destroy();
    this.hung.clear();
  }

  clearRequests(): void {
    this.requests.length = 0;
  }

  /** Requests to paths that start with `prefix` (and, when given, with this method). */
  received(prefix: string, method?: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path.startsWith(prefix) && (!method || r.method === method.toUpperCase()));
  }

  /** The provider's error answer for a kind of failure. */
  error(kind: FaultKind, status: number): FakeReply {
    return this.errorShape(kind, status);
  }

  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) send(res, { status: 500, body: { message: `fake ${this.name} failed: ${String(error)}` } });
      });
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(port, host, resolve));
    const { port: bound } = server.address() as AddressInfo;
    this.baseUrl = `http://${host}:${bound}`;
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    for (const response of this.hung) response.destroy();
    this.hung.clear();
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.server = undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://fake');
    const request: RecordedRequest = {
      method: (req.method ?? 'GET').toUpperCase(),
      path: url.pathname,
      query: url.searchParams,
      headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v])),
      body: parseBody(raw, req.headers['content-type']),
      raw,
      at: new Date(),
    };
    if (request.path.startsWith('/_fake/')) return send(res, this.control(request));
    this.requests.push(request);

    const fault = this.faultPlan.find((f) => !f.pathPrefix || request.path.startsWith(f.pathPrefix));
    if (fault) {
      if (fault.times !== undefined && --fault.times <= 0) this.faultPlan = this.faultPlan.filter((f) => f !== fault);
      switch (fault.kind) {
        case 'hang':
          this.hung.add(res);
          res.on('close', () => this.hung.delete(res));
          return;
        case 'delay':
          await new Promise((resolve) => setTimeout(resolve, fault.delayMs ?? 1000));
          break;
        case 'rate_limit': {
          const reply = this.errorShape('rate_limit', 429, fault);
          return send(res, { ...reply, headers: { 'retry-after': String(fault.retryAfterSeconds ?? 1), ...reply.headers } });
        }
        case 'invalid':
          return send(res, this.errorShape('invalid', fault.status ?? 400, fault));
        default:
          return send(res, this.errorShape('fail', fault.status ?? 503, fault));
      }
    }

    for (const route of this.routes) {
      if (route.method !== request.method) continue;
      const match = route.pattern.exec(request.path);
      if (!match) continue;
      const params = Object.fromEntries(route.names.map((name, i) => [name, decodeURIComponent(match[i + 1] ?? '')]));
      return send(res, await route.handler(request, params));
    }
    send(res, { status: 404, body: { message: `fake ${this.name}: no route ${request.method} ${request.path}` } });
  }

  private control(request: RecordedRequest): FakeReply {
    if (request.method === 'POST' && request.path === '/_fake/faults') {
      this.fault(request.body as Fault);
      return { status: 204 };
    }
    if (request.method === 'POST' && request.path === '/_fake/reset') {
      this.reset();
      this.clearRequests();
      return { status: 204 };
    }
    if (request.method === 'GET' && request.path === '/_fake/requests') {
      return {
        status: 200,
        body: this.requests.map((r) => ({ method: r.method, path: r.path, query: Object.fromEntries(r.query), body: r.body, at: r.at })),
      };
    }
    return { status: 404, body: { message: 'unknown control route' } };
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseBody(raw: Buffer, contentType: string | undefined): unknown {
  if (raw.length === 0) return undefined;
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  const text = raw.toString('utf8');
  if (type === 'application/json' || type?.endsWith('+json')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  if (type === 'application/x-www-form-urlencoded') return Object.fromEntries(new URLSearchParams(text));
  if (type?.startsWith('text/')) return text;
  return undefined; // binary (media uploads): see `raw`
}

function send(res: ServerResponse, reply: FakeReply): void {
  const headers: Record<string, string> = { ...reply.headers };
  let payload: string | Buffer | undefined;
  if (reply.body === undefined) payload = undefined;
  else if (typeof reply.body === 'string' || Buffer.isBuffer(reply.body)) payload = reply.body;
  else {
    payload = JSON.stringify(reply.body);
    headers['content-type'] ??= 'application/json';
  }
  res.writeHead(reply.status, headers);
  res.end(payload);
}
