import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply } from 'fastify';

export interface WebAppConfig {
  /** The built app (web/dist); null or a folder without index.html: no app is served. */
  dir: string | null;
  /** Where the browser sends its spans (OTLP/HTTP traces URL); null: the page keeps them. */
  otlpTracesEndpoint: string | null;
}

/** Paths that are the gateway's own, never the app's. */
const GATEWAY_PATHS = /^\/(graphql|health|metrics|internal|integrations)(\/|$|\?)/;

/** The app's pages may load only what the app itself serves; its spans go to the configured endpoint. */
function contentSecurityPolicy(config: WebAppConfig): string {
  const connect = ["'self'", ...(config.otlpTracesEndpoint ? [new URL(config.otlpTracesEndpoint).origin] : [])];
  return [
    "default-src 'self'",
    "script-src 'self'",
    // Mantine sets styles inline.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `connect-src ${connect.join(' ')}`,
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join('; ');
}

function pageHeaders(reply: FastifyReply, csp: string): FastifyReply {
  return reply
    .header('content-security-policy', csp)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'same-origin')
    .header('cache-control', 'no-cache');
}

/**
 * Serves the web app (web/dist) at `/`: its files, `index.html` for every other page path (the app routes in the
 * browser), and `/app-config.json` (what the page needs to know at start). Apollo Sandbox stays at `/graphql`.
 * Returns whether the app is served.
 */
export async function registerWebApp(app: FastifyInstance, config: WebAppConfig, logger: FastifyBaseLogger): Promise<boolean> {
  app.get('/app-config.json', async (_request, reply) =>
    reply.header('cache-control', 'no-store').send({ otlpTracesEndpoint: config.otlpTracesEndpoint, serviceName: 'web' }),
  );
  if (!config.dir || !existsSync(join(config.dir, 'index.html'))) {
    logger.info({ dir: config.dir }, 'no built web app to serve (npm run build builds it)');
    return false;
  }
  const csp = contentSecurityPolicy(config);
  await app.register(fastifyStatic, {
    root: config.dir,
    prefix: '/',
    wildcard: false,
    index: false,
    setHeaders(res, path) {
      // Vite names assets after their content: they never change, so they may be kept for a year.
      res.header('cache-control', /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
      res.header('x-content-type-options', 'nosniff');
    },
  });
  app.get('/', async (_request, reply) => pageHeaders(reply, csp).sendFile('index.html'));
  app.setNotFoundHandler(async (request, reply) => {
    const wantsPage = request.method === 'GET' && !GATEWAY_PATHS.test(request.url) && (request.headers.accept ?? '').includes('text/html');
    if (wantsPage) return pageHeaders(reply, csp).sendFile('index.html');
    return reply.code(404).send({ message: `Route ${request.method}:${request.url.split('?')[0]} not found`, error: 'Not Found', statusCode: 404 });
  });
  logger.info({ dir: config.dir }, 'serving the web app at /');
  return true;
}
