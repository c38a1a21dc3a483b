import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import { unauthenticated } from './errors';
import type { Principal, UserPrincipal } from './identity';
import type { Loaders } from './loaders';

/** What every resolver of every subgraph receives. */
export interface SubgraphContext<DB> {
  principal: Principal;
  db: Kysely<DB>;
  loaders: Loaders;
  log: FastifyBaseLogger;
}

/** The authenticated caller; every query a resolver makes is scoped to `viewer(ctx).orgId`. */
export function viewer(ctx: { principal: Principal }): UserPrincipal {
  if (ctx.principal.kind !== 'user') throw unauthenticated();
  return ctx.principal;
}
