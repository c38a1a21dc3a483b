import fastifyCors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

/** Where a browser may call the gateway from when CORS_ORIGINS is unset outside production (common dev servers). */
export const DEVELOPMENT_ORIGINS: readonly string[] = ['http://localhost:3000', 'http://localhost:5173'];

/**
 * Request headers a browser may send cross-origin: the GraphQL ones (CSRF prevention's preflight headers included),
 * credentials, and W3C trace context, so that a page's span becomes the parent of the gateway's request span.
 */
export const ALLOWED_HEADERS: readonly string[] = [
  'content-type',
  'authorization',
  'x-api-key',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'traceparent',
  'tracestate',
  'baggage',
  'x-request-id',
];

/** Response headers a page may read (Retry-After of a 429, the request id when one is set). */
export const EXPOSED_HEADERS: readonly string[] = ['x-request-id', 'retry-after'];

/** How long a browser may reuse a preflight answer (seconds): short, so a changed origin list takes effect soon. */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

const ORIGIN_FORMAT = 'expected comma-separated origins such as https://app.example.com (scheme, host and optional port; no path)';

/** The origin a browser would send for `value` (lowercase host, default port dropped), or undefined if it is not one. */
function originOf(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  const bare = url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password;
  return (url.protocol === 'http:' || url.protocol === 'https:') && bare ? url.origin : undefined;
}

/**
 * CORS_ORIGINS in the shape parseEnv reads. `*` is refused: the graph is called with bearer tokens and API keys, and an
 * allow-list keeps any other site's scripts from reading answers even once a token leaks into one; list the web UIs.
 */
export const corsVariables = {
  CORS_ORIGINS: z
    .string()
    .transform((value, ctx) => {
      const origins: string[] = [];
      for (const entry of value.split(',').map((s) => s.trim()).filter(Boolean)) {
        const origin = originOf(entry);
        if (origin) origins.push(origin);
        else ctx.addIssue({ code: 'custom', message: entry === '*' ? `'*' is not accepted; ${ORIGIN_FORMAT}` : `${ORIGIN_FORMAT}; not an origin: ${entry}` });
      }
      return [...new Set(origins)];
    })
    .optional(),
};

/** The allowed origins: CORS_ORIGINS, else the development ones outside production, else none. */
export function corsOrigins(raw: { CORS_ORIGINS?: string[] | undefined }, nodeEnv: string): string[] {
  return raw.CORS_ORIGINS ?? (nodeEnv === 'production' ? [] : [...DEVELOPMENT_ORIGINS]);
}

/**
 * Answers CORS preflights and adds CORS headers to every response. Registered on the root instance before the
 * /graphql scope, so a preflight is answered in the first onRequest hook: it is neither authenticated nor counted by
 * the rate limit (a browser sends it without credentials). An origin not listed gets no Access-Control-Allow-Origin,
 * so the browser refuses to send or read; with no origins at all, no cross-origin page can use the gateway.
 * No credentials mode: callers authenticate with headers, never cookies.
 */
export async function registerCors(app: FastifyInstance, origins: readonly string[]): Promise<void> {
  await app.register(fastifyCors, {
    origin: [...origins],
    methods: ['GET', 'POST'],
    allowedHeaders: [...ALLOWED_HEADERS],
    exposedHeaders: [...EXPOSED_HEADERS],
    credentials: false,
    maxAge: PREFLIGHT_MAX_AGE_SECONDS,
  });
}
