import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';

/** The header that carries a request's id in (from a client, a proxy or the gateway) and out (every response). */
export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * What an incoming id may look like: 1–128 HTTP token characters (RFC 9110 tchar), so a UUID, a ULID or a
 * proxy's id passes, while spaces, quotes, control characters and anything long enough to flood a log do not.
 */
const SANE_REQUEST_ID = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}$/;

export function isSaneRequestId(value: unknown): value is string {
  return typeof value === 'string' && SANE_REQUEST_ID.test(value);
}

/** Fastify's genReqId: the caller's x-request-id when it is sane, a fresh UUID otherwise. */
export function requestIdOf(request: Pick<IncomingMessage, 'headers'>): string {
  const incoming = request.headers[REQUEST_ID_HEADER];
  return isSaneRequestId(incoming) ? incoming : randomUUID();
}

/**
 * Fastify options for request ids: Fastify logs the id as `reqId` on every line of the request's logger.
 * `requestIdHeader: false` because genReqId reads (and validates) the header itself.
 */
export const requestIdOptions = { requestIdHeader: false, genReqId: requestIdOf } as const;

/**
 * Returns every response's request id in x-request-id. Set on arrival (onRequest), so replies that end the request
 * early (401, 404, 413, 429, …) carry it too.
 */
export function echoRequestId(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
  });
}
