import { LocalGraphQLDataSource } from '@apollo/gateway';
import { buildSubgraphSchema } from '@apollo/subgraph';
import {
  ADMINS,
  authorize,
  breakerSnapshots,
  DateTime,
  PRINCIPAL_HEADER,
  principalCodec,
  type BreakerSnapshot,
  type CommonConfig,
  type Principal,
} from '@umt/infra';
import type { FastifyBaseLogger } from 'fastify';
import { parse } from 'graphql';
import { MONITOR_SDL } from './schema';

export { MONITOR_SDL, MONITOR_SUBGRAPH, MONITOR_URL } from './schema';

/** One service's breakers, as the circuitBreakers query answers them. */
export interface ServiceCircuits {
  service: string;
  reachable: boolean;
  breakers: BreakerSnapshot[];
}

export interface MonitorOptions {
  /** Each subgraph's GraphQL URL (its POST /internal/circuits route is beside it). */
  subgraphs: { name: string; url: string }[];
  config: Pick<CommonConfig, 'principalKeys' | 'principalTtlSeconds'>;
  /** How long a subgraph has to answer; one that does not is reported unreachable. */
  timeoutMs?: number;
  logger?: FastifyBaseLogger;
}

export const CIRCUITS_ROUTE = '/internal/circuits';
const DEFAULT_TIMEOUT_MS = 1_000;

/**
 * Reads every service's breakers: the gateway's from this process, each subgraph's from its internal route, all at
 * once, each within `timeoutMs`. These reads do not go through the subgraphs' breakers: monitoring must neither count
 * in the statistics it reports nor be refused by an open breaker.
 */
export function circuitReader(options: MonitorOptions): () => Promise<ServiceCircuits[]> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const sources = options.subgraphs.map(({ name, url }) => ({
    name,
    endpoint: url.replace(/\/graphql$/, CIRCUITS_ROUTE),
    // Subgraphs take internal calls only from the gateway: a principal of kind 'gateway', signed for their audience.
    codec: principalCodec(options.config.principalKeys, options.config.principalTtlSeconds, name),
  }));

  async function readSubgraph(source: (typeof sources)[number]): Promise<ServiceCircuits> {
    try {
      const response = await fetch(source.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [PRINCIPAL_HEADER]: source.codec.sign({ kind: 'gateway' }) },
        body: '{}',
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const body = (await response.json()) as { breakers?: unknown };
      if (!Array.isArray(body.breakers)) throw new Error('the answer lists no breakers');
      return { service: source.name, reachable: true, breakers: body.breakers as BreakerSnapshot[] };
    } catch (error) {
      options.logger?.warn({ err: error, subgraph: source.name }, 'could not read the circuit breakers of a subgraph');
      return { service: source.name, reachable: false, breakers: [] };
    }
  }

  return async () => [
    { service: 'gateway', reachable: true, breakers: breakerSnapshots('gateway') },
    ...(await Promise.all(sources.map(readSubgraph))),
  ];
}

/** The monitor subgraph's executable schema: `circuitBreakers` for OWNER and ADMIN users. */
export function monitorSchema(read: () => Promise<ServiceCircuits[]>) {
  return buildSubgraphSchema([
    {
      typeDefs: parse(MONITOR_SDL),
      resolvers: {
        DateTime,
        Query: {
          circuitBreakers: async (_root: unknown, _args: unknown, context: { principal?: Principal }) => {
            // Platform-wide health, no tenant's data; still only for an organization's administrators, never a key.
            authorize(context.principal ?? { kind: 'anonymous' }, { roles: ADMINS }, 'Query.circuitBreakers');
            return read();
          },
        },
      },
    },
  ]);
}

/** The monitor, served inside the gateway: it answers while any subgraph is down. */
export function monitorDataSource(options: MonitorOptions): LocalGraphQLDataSource {
  return new LocalGraphQLDataSource(monitorSchema(circuitReader(options)));
}
