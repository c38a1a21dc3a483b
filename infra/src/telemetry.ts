/**
 * OpenTelemetry bootstrap. Every entry point calls startTelemetry() before requiring anything else,
 * because instrumentations only patch modules loaded after them.
 *
 * Spans per hop: http (incoming and outgoing requests through node:http, the gateway's subgraph fetches included),
 * undici (global fetch, e.g. the gateway's API key check), fastify, graphql (resolvers: see OTEL_GRAPHQL_*), pg,
 * redis (@redis/client under @keyv/redis) and ioredis (the gateway's rate limiter). Messaging spans are made by the
 * event backbone itself (infra/src/events/tracing.ts), so amqplib is deliberately not instrumented: it would add a
 * second publish span per message, and consumer spans outside the trace stored with the event.
 */
import { diag, DiagConsoleLogger, DiagLogLevel, type Span } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { GraphQLInstrumentation } from '@opentelemetry/instrumentation-graphql';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { RedisInstrumentation } from '@opentelemetry/instrumentation-redis';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { envDetector, hostDetector, processDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type Sampler,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME, ATTR_URL_FULL, ATTR_URL_PATH, ATTR_URL_QUERY } from '@opentelemetry/semantic-conventions';
import { FastifyOtelInstrumentation, type FastifyOtelHookName } from '@fastify/otel';
import { z } from 'zod';
import { parseEnv } from './config';

type Env = Record<string, string | undefined>;

const SAMPLERS = ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'] as const;
type SamplerName = (typeof SAMPLERS)[number];

export interface TelemetrySettings {
  sampler: SamplerName;
  /** The ratio of the traceidratio samplers (0..1). */
  samplerRatio: number;
  /**
   * Deepest field that gets a resolver span of its own, counted in path segments, list positions included
   * (`_entities.*.brands` is 3); deeper fields' work lands in their nearest traced ancestor. -1: all, 0: none.
   */
  graphqlDepth: number;
  /** No span for a field read straight off its parent object (graphql's default resolver on a plain value). */
  graphqlIgnoreTrivial: boolean;
}

/**
 * Reads the tracing variables; throws ConfigError naming a bad one. The sampler variables are the SDK's own, read here
 * so that a bad ratio stops the service instead of silently becoming 1 (what the SDK does), and so that the default,
 * parentbased_always_on (follow the caller's sampled flag, sample every new trace), is stated in one place.
 */
export function readTelemetrySettings(source: Env = process.env): TelemetrySettings {
  const raw = parseEnv(
    {
      OTEL_TRACES_SAMPLER: z.enum(SAMPLERS, { message: `expected one of ${SAMPLERS.join(', ')}` }).default('parentbased_always_on'),
      OTEL_TRACES_SAMPLER_ARG: z.coerce
        .number({ message: 'expected a ratio between 0 and 1' })
        .min(0, 'expected a ratio between 0 and 1')
        .max(1, 'expected a ratio between 0 and 1')
        .default(1),
      OTEL_GRAPHQL_DEPTH: z.coerce
        .number({ message: 'expected a whole number: -1 (every level), 0 (no resolver spans) or a depth' })
        .int('expected a whole number: -1 (every level), 0 (no resolver spans) or a depth')
        .min(-1, 'expected a whole number: -1 (every level), 0 (no resolver spans) or a depth')
        // 6 reaches a list inside a list under an entity (`_entities.*.brands.nodes.*.projects`); with list items
        // merged, spans grow with the distinct field paths of an operation, not with the length of its lists.
        .default(6),
      OTEL_GRAPHQL_IGNORE_TRIVIAL: z.enum(['true', 'false'], { message: "expected 'true' or 'false'" }).default('true'),
    },
    source,
  );
  return {
    sampler: raw.OTEL_TRACES_SAMPLER,
    samplerRatio: raw.OTEL_TRACES_SAMPLER_ARG,
    graphqlDepth: raw.OTEL_GRAPHQL_DEPTH,
    graphqlIgnoreTrivial: raw.OTEL_GRAPHQL_IGNORE_TRIVIAL === 'true',
  };
}

function samplerOf({ sampler, samplerRatio }: TelemetrySettings): Sampler {
  switch (sampler) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(samplerRatio);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(samplerRatio) });
  }
}

/** Commands whose first argument is a key. */
const KEY_COMMANDS = new Set(
  (
    'GET GETDEL GETEX GETSET SET SETEX PSETEX SETNX MGET MSET DEL UNLINK EXISTS EXPIRE PEXPIRE EXPIREAT PEXPIREAT TTL ' +
    'PTTL PERSIST TYPE INCR INCRBY INCRBYFLOAT DECR DECRBY APPEND STRLEN HGET HSET HSETNX HMSET HMGET HDEL HGETALL ' +
    'HINCRBY HEXISTS HLEN LPUSH RPUSH LPOP RPOP LRANGE LLEN LTRIM SADD SREM SMEMBERS SISMEMBER SCARD ZADD ZREM ZRANGE ' +
    'ZRANGEBYSCORE ZREMRANGEBYSCORE ZSCORE ZCARD ZINCRBY XADD XRANGE XLEN WATCH'
  ).split(' '),
);
const SCRIPT_COMMANDS = new Set(['EVAL', 'EVALSHA', 'EVAL_RO', 'EVALSHA_RO', 'FCALL', 'FCALL_RO']);
const MAX_KEY_LENGTH = 128;

const keyText = (arg: unknown): string => {
  const text = Buffer.isBuffer(arg) ? arg.toString('utf8') : String(arg);
  return text.length > MAX_KEY_LENGTH ? `${text.slice(0, MAX_KEY_LENGTH)}…` : text;
};

/**
 * db.query.text of a Redis span: the command and the key it touches, never values or other arguments. Values are
 * cached query texts and documents (large, possibly personal), and arguments of AUTH, HELLO, CONFIG or ACL can be
 * secrets; a script's body is omitted too (its keys are shown). Commands not known to take a key first show their name only.
 */
export function redisStatement(command: string, args: readonly unknown[]): string {
  const name = command.toUpperCase();
  if (SCRIPT_COMMANDS.has(name)) {
    // EVAL script numkeys key [key …] arg …
    const keyCount = Number(args[1]);
    const keys = Number.isInteger(keyCount) && keyCount > 0 ? args.slice(2, 2 + keyCount).map(keyText) : [];
    return [name, ...keys].join(' ');
  }
  if (KEY_COMMANDS.has(name) && args.length > 0) return `${name} ${keyText(args[0])}`;
  return name;
}

/**
 * A plugin or handler name as spans may show it. Fastify names an anonymous plugin after its source code and a plugin
 * loaded from a file after its absolute path, and @fastify/otel puts that name in span names and attributes: source
 * becomes `anonymous`, a path its package (node_modules) or its file name.
 */
/** url.full and url.query of an outgoing request with every query parameter's value replaced. */
export function redactedUrl(origin: string, path: string): Record<string, string> {
  try {
    const url = new URL(path, origin);
    if (!url.search) return {};
    for (const key of new Set(url.searchParams.keys())) url.searchParams.set(key, 'REDACTED');
    return { [ATTR_URL_FULL]: url.toString(), [ATTR_URL_QUERY]: url.search };
  } catch {
    return {};
  }
}

export function codeName(name: string): string {
  const trimmed = name.trim();
  if ((/^[\w$.@ >-]{1,80}$/.test(trimmed) && !trimmed.includes('=>')) || /^@[\w.-]+\/[\w.-]+$/.test(trimmed)) return trimmed;
  const inModules = /node_modules\/((?:@[^/\s]+\/)?[^/\s]+)/.exec(trimmed);
  if (inModules?.[1]) return inModules[1];
  if (/^(\/|[A-Za-z]:\\)[^\s{}()]*$/.test(trimmed)) return (trimmed.split(/[\\/]/).pop() ?? 'anonymous').replace(/\.[cm]?[jt]s$/, '');
  return 'anonymous';
}

/** `codeName` for each part of a fastify hook name ("<plugin> - route -> preHandler"). */
function safeHookName(value: unknown): string | undefined {
  return typeof value === 'string' ? value.split(' - ').map(codeName).join(' - ') : undefined;
}

/** Renames a @fastify/otel hook or handler span so that it holds neither source code nor file paths. */
function sanitizeFastifySpan(span: Span, info: { hookName: string; handler?: string }): void {
  span.updateName(`${info.hookName} - ${codeName(info.handler ?? 'anonymous')}`);
  // The SDK's span keeps its attributes in a public field; other implementations may not.
  const attributes = (span as unknown as { attributes?: Record<string, unknown> }).attributes;
  for (const key of ['hook.name', 'hook.callback.name']) {
    const safe = safeHookName(attributes?.[key]);
    if (safe !== undefined) span.setAttribute(key, safe);
  }
}

/** Fastify lifecycle hooks that get a span of their own (every one but onRequest; see startTelemetry). */
const FASTIFY_HOOKS_TRACED: FastifyOtelHookName[] = ['preParsing', 'preValidation', 'preHandler', 'preSerialization', 'onSend', 'onResponse', 'onError'];

let sdk: NodeSDK | undefined;

/**
 * Starts tracing for this process; exports over OTLP/HTTP only when an endpoint is configured. Throws ConfigError
 * when a tracing variable is invalid (telemetry-register turns it into the usual exit 78).
 */
export function startTelemetry(serviceName: string, extraProcessors: SpanProcessor[] = []): void {
  if (sdk || process.env.OTEL_SDK_DISABLED === 'true') return;
  const settings = readTelemetrySettings();
  // Without an endpoint there is nowhere to send metrics or logs; the SDK would otherwise try localhost.
  process.env.OTEL_METRICS_EXPORTER ??= 'none';
  process.env.OTEL_LOGS_EXPORTER ??= 'none';
  process.env.APOLLO_TELEMETRY_DISABLED ??= '1';
  if (process.env.OTEL_LOG_LEVEL === 'debug') diag.setLogger(new DiagConsoleLogger(), DiagLogLevel.DEBUG);

  const endpoint = process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  const processors: SpanProcessor[] = [...extraProcessors];
  if (endpoint) processors.push(new BatchSpanProcessor(new OTLPTraceExporter()));

  sdk = new NodeSDK({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: process.env.OTEL_SERVICE_NAME ?? serviceName }),
    resourceDetectors: [envDetector, hostDetector, processDetector],
    sampler: samplerOf(settings),
    spanProcessors: processors,
    instrumentations: [
      new HttpInstrumentation({
        // Probes and scrapes every few seconds would bury the traces of real requests.
        ignoreIncomingRequestHook: (req) => /^\/(health|metrics)(\/|\?|$)/.test(req.url ?? ''),
        // A GraphQL GET carries its document (literals included) and variables in the query string: url.query keeps
        // the parameter names, not those values.
        redactedQueryParamsServer: ['query', 'variables'],
      }),
      // Global fetch. @apollo/gateway's subgraph fetches go through node:http (make-fetch-happen), not undici, so
      // each appears once, as an http CLIENT span.
      // Outbound calls to platforms carry secrets in some query strings (Facebook's token exchange takes client_secret
      // and code as query parameters): url.full and url.query keep the parameter names only.
      new UndiciInstrumentation({ startSpanHook: (request) => redactedUrl(request.origin, request.path) }),
      // No spans for onRequest hooks: a callback-style one (@fastify/cors) calls the next hook inside its own span's
      // context, so later onRequest work (the rate limiter's Redis call) would hang under that ended CORS span.
      // Unwrapped, they all run in the request span, which @fastify/otel sets as the context of the chain.
      new FastifyOtelInstrumentation({
        registerOnInitialization: true,
        instrumentHooks: FASTIFY_HOOKS_TRACED,
        // @fastify/otel puts the raw URL, query string included, in url.path: keep the path only (see above).
        requestHook: (span, request) => span.setAttribute(ATTR_URL_PATH, request.url.split('?', 1)[0] ?? ''),
        lifecycleHook: sanitizeFastifySpan,
      }),
      new GraphQLInstrumentation({ mergeItems: true, ignoreTrivialResolveSpans: settings.graphqlIgnoreTrivial, depth: settings.graphqlDepth }),
      new PgInstrumentation({ requireParentSpan: true }),
      // Cache and rate-limit commands belong to a request: no root spans from connection housekeeping.
      new RedisInstrumentation({ requireParentSpan: true, dbStatementSerializer: redisStatement }),
      new IORedisInstrumentation({ requireParentSpan: true, dbStatementSerializer: redisStatement }),
    ],
  });
  sdk.start();
}

/** Flushes and stops tracing; called by graceful shutdown. */
export async function stopTelemetry(): Promise<void> {
  const running = sdk;
  sdk = undefined;
  await running?.shutdown().catch(() => undefined);
}
