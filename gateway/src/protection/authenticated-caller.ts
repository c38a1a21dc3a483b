import { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthenticatedCaller, GatewayContext } from '../principal';

/** Each request's authentication, started once when the request arrives. */
const callers = new WeakMap<FastifyRequest, Promise<GatewayContext>>();

/**
 * Authenticates every request of `scope` once, as it arrives (onRequest, before the rate limit, which counts per
 * caller). A failed authentication is not answered here: the rate limit still counts the request (by address),
 * and the GraphQL context answers it as before (401, UNAUTHENTICATED).
 */
export function authenticateEachRequest(scope: FastifyInstance, authenticate: (request: FastifyRequest) => Promise<AuthenticatedCaller>): void {
  scope.addHook('onRequest', async (request) => {
    // The request id joins the context here, once, so every reader of the context shares one object.
    const caller = authenticate(request).then((authenticated): GatewayContext => ({ ...authenticated, requestId: request.id }));
    caller.catch(() => undefined); // awaited later, by the rate limit and by the GraphQL context
    callers.set(request, caller);
  });
}

/** The GraphQL context of a request authenticated by authenticateEachRequest; rejects as its authentication did. */
export function callerContext(request: FastifyRequest): Promise<GatewayContext> {
  return callers.get(request) ?? Promise.reject(new Error('the request was not authenticated on arrival: authenticateEachRequest is not on its route'));
}

/**
 * Whom a request counts against: the user, the partner's API key, or for anonymous (or failed) callers the address
 * (an IPv6 address by its /64, which one client usually holds whole).
 */
export async function callerKey(request: FastifyRequest): Promise<string> {
  const principal = await callerContext(request).then(
    (context) => context.principal,
    () => undefined,
  );
  if (principal?.kind === 'user') return `user:${principal.userId}`;
  if (principal?.kind === 'apiKey') return `apiKey:${principal.keyId}`;
  return `ip:${normalizeIP(request.ip)}`;
}
