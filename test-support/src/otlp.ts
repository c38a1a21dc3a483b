import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { gunzipSync } from 'node:zlib';

/** OTLP span kinds as numbers in the JSON encoding (opentelemetry-proto SpanKind). */
export const SPAN_KIND = { UNSPECIFIED: 0, INTERNAL: 1, SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5 } as const;
const KIND_NAMES = ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'];

/** One exported span, flattened: its resource's service.name beside its own fields. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  /** undefined for a root span. */
  parentSpanId: string | undefined;
  name: string;
  kind: number;
  service: string;
  scope: string;
  attributes: Record<string, unknown>;
  startTimeUnixNano: bigint;
}

export interface OtlpReceiver {
  /** The value for OTEL_EXPORTER_OTLP_ENDPOINT (the exporters append /v1/traces). */
  endpoint: string;
  /** Every span received so far. */
  spans(): ReceivedSpan[];
  /** Export requests the receiver could not read (wrong encoding): a non-empty list means spans were lost. */
  rejected(): string[];
  close(): Promise<void>;
}

type AnyValue = {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number | string;
  doubleValue?: number;
  bytesValue?: string;
  arrayValue?: { values?: AnyValue[] };
  kvlistValue?: { values?: KeyValue[] };
};
type KeyValue = { key: string; value?: AnyValue };

interface ExportTraceServiceRequest {
  resourceSpans?: {
    resource?: { attributes?: KeyValue[] };
    scopeSpans?: {
      scope?: { name?: string };
      spans?: {
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        kind?: number;
        startTimeUnixNano?: string | number;
        attributes?: KeyValue[];
      }[];
    }[];
  }[];
}

function plain(value: AnyValue | undefined): unknown {
  if (!value) return undefined;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.bytesValue !== undefined) return value.bytesValue;
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(plain);
  if (value.kvlistValue) return attributesOf(value.kvlistValue.values);
  return undefined;
}

function attributesOf(list: KeyValue[] | undefined): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map((kv) => [kv.key, plain(kv.value)]));
}

/** An attribute value as text ('' when absent). */
export function textOf(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The first of `keys` a span has, as text ('' when it has none): for attributes renamed across semconv versions. */
export function attributeText(span: ReceivedSpan, ...keys: string[]): string {
  for (const key of keys) if (span.attributes[key] !== undefined) return textOf(span.attributes[key]);
  return '';
}

/** Flattens one OTLP/JSON export request (ids are hex strings in the JSON encoding). */
export function spansOf(request: ExportTraceServiceRequest): ReceivedSpan[] {
  const spans: ReceivedSpan[] = [];
  for (const resourceSpans of request.resourceSpans ?? []) {
    const service = textOf(attributesOf(resourceSpans.resource?.attributes)['service.name']);
    for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
      for (const span of scopeSpans.spans ?? []) {
        spans.push({
          traceId: span.traceId,
          spanId: span.spanId,
          parentSpanId: span.parentSpanId ? span.parentSpanId : undefined,
          name: span.name,
          kind: span.kind ?? SPAN_KIND.UNSPECIFIED,
          service,
          scope: scopeSpans.scope?.name ?? '',
          attributes: attributesOf(span.attributes),
          startTimeUnixNano: BigInt(span.startTimeUnixNano ?? 0),
        });
      }
    }
  }
  return spans;
}

/** A minimal OTLP/HTTP trace receiver on loopback that understands the JSON encoding (gzipped or not), pages included (CORS). */
export function startOtlpReceiver(): Promise<OtlpReceiver> {
  const received: ReceivedSpan[] = [];
  const rejected: string[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      // A web page posts its spans from its own origin, after a preflight.
      response.setHeader('access-control-allow-origin', '*');
      if (request.method === 'OPTIONS') {
        response.writeHead(204, { 'access-control-allow-methods': 'POST', 'access-control-allow-headers': 'content-type', 'access-control-max-age': '600' }).end();
        return;
      }
      if (request.method !== 'POST' || request.url !== '/v1/traces') {
        response.writeHead(404).end();
        return;
      }
      try {
        const type = request.headers['content-type'] ?? '';
        if (!type.startsWith('application/json')) throw new Error(`content-type ${type} (expected application/json)`);
        let body = Buffer.concat(chunks);
        if (request.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
        received.push(...spansOf(JSON.parse(body.toString('utf8')) as ExportTraceServiceRequest));
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } catch (error) {
        rejected.push(error instanceof Error ? error.message : String(error));
        response.writeHead(400, { 'content-type': 'application/json' }).end('{}');
      }
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({
        endpoint: `http://127.0.0.1:${port}`,
        spans: () => [...received],
        rejected: () => [...rejected],
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

/** The chain of ancestors of a span within `spans`, nearest first (stops where a parent is missing). */
export function ancestorsOf(span: ReceivedSpan, spans: ReceivedSpan[]): ReceivedSpan[] {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const chain: ReceivedSpan[] = [];
  const seen = new Set<string>([span.spanId]);
  let parentId = span.parentSpanId;
  while (parentId && !seen.has(parentId)) {
    seen.add(parentId);
    const parent = byId.get(parentId);
    if (!parent) break;
    chain.push(parent);
    parentId = parent.parentSpanId;
  }
  return chain;
}

/** True when `ancestor` is on `span`'s parent chain. */
export function isDescendant(span: ReceivedSpan, ancestor: ReceivedSpan, spans: ReceivedSpan[]): boolean {
  return ancestorsOf(span, spans).some((s) => s.spanId === ancestor.spanId);
}

/** An indented tree of the spans of one trace (spans whose parent was not received are shown as roots, marked). */
export function renderTrace(spans: ReceivedSpan[], describe: (span: ReceivedSpan) => string = () => ''): string {
  const ids = new Set(spans.map((s) => s.spanId));
  const children = new Map<string | undefined, ReceivedSpan[]>();
  for (const span of spans) {
    const key = span.parentSpanId && ids.has(span.parentSpanId) ? span.parentSpanId : undefined;
    children.set(key, [...(children.get(key) ?? []), span]);
  }
  for (const list of children.values()) list.sort((a, b) => (a.startTimeUnixNano < b.startTimeUnixNano ? -1 : a.startTimeUnixNano > b.startTimeUnixNano ? 1 : 0));
  const lines: string[] = [];
  const walk = (span: ReceivedSpan, depth: number) => {
    const orphan = depth === 0 && span.parentSpanId ? ` (parent ${span.parentSpanId} not received)` : '';
    const extra = describe(span);
    lines.push(`${'  '.repeat(depth)}[${span.service}] ${span.name} ${KIND_NAMES[span.kind] ?? span.kind} ${span.spanId}${orphan}${extra ? ` ${extra}` : ''}`);
    for (const child of children.get(span.spanId) ?? []) walk(child, depth + 1);
  };
  for (const root of children.get(undefined) ?? []) walk(root, 0);
  return lines.join('\n');
}

/** A W3C trace context as a browser would start it: fresh trace and span ids, and the `traceparent` header for them. */
export interface BrowserSpanContext {
  traceId: string;
  /** The browser's (never exported) span, which the gateway's request span must name as its parent. */
  spanId: string;
  /** `traceparent` with the sampled flag set (01) or not (00). */
  traceparent(sampled: boolean): string;
}

export function browserSpanContext(): BrowserSpanContext {
  const traceId = randomBytes(16).toString('hex');
  const spanId = randomBytes(8).toString('hex');
  return { traceId, spanId, traceparent: (sampled) => `00-${traceId}-${spanId}-${sampled ? '01' : '00'}` };
}

/**
 * Polls the receiver until `find` returns a value for the spans received so far (spans leave each process in
 * batches); after the deadline, fails with `what` and the last error `find` threw, if any.
 */
export async function waitForSpans<T>(receiver: OtlpReceiver, what: string, find: (spans: ReceivedSpan[]) => T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let problem = '';
  for (;;) {
    try {
      const found = find(receiver.spans());
      if (found !== undefined) return found;
    } catch (error) {
      problem = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${problem ? `: ${problem}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
