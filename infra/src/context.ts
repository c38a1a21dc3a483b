import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { EventRecorder } from './domain-events';
import type { Principal } from './identity';
import type { Loaders } from './loaders';
import type { References } from './references';

/** What every resolver of every subgraph receives. */
export interface SubgraphContext<DB> {
  principal: Principal;
  db: Kysely<DB>;
  loaders: Loaders;
  log: FastifyBaseLogger;
  /** Publishes domain events through the transactional outbox. */
  events: EventRecorder<DB>;
  /** Checks references to other domains' ids against the subgraph's projections (waiting briefly for their events). */
  references: References;
}

