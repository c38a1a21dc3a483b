import { join } from 'node:path';
import { createGateway, readGatewayConfig, type Gateway } from '@umt/gateway';
import {
  configSecrets,
  createLogger,
  createTransport,
  openDatabaseHost,
  readCommonConfig,
  SUBGRAPHS,
  type CommonConfig,
  type DatabaseHost,
  type Subgraph,
  type SubgraphHooks,
  type SubgraphName,
} from '@umt/infra';
import { startFakeProviders, type RunningFakes } from '@umt/fakes';
import { createAuthSubgraph } from '@umt/subgraph-auth';
import { createBrandSubgraph } from '@umt/subgraph-brand';
import { createCampaignsSubgraph } from '@umt/subgraph-campaigns';
import { createCreationSubgraph } from '@umt/subgraph-creation';
import { createStrategySubgraph } from '@umt/subgraph-strategy';
import type { LogEvent } from 'kysely';

type Env = Record<string, string | undefined>;

interface Stoppable {
  stop(): Promise<void>;
}

/** What the stack needs of a subgraph, whatever its tables. */
type RunnableSubgraph = Stoppable & Pick<Subgraph<unknown>, 'start'> & { events: { relay: { start(): void } } };

const FACTORIES: Record<SubgraphName, (config: CommonConfig, hooks: SubgraphHooks) => RunnableSubgraph> = {
  auth: createAuthSubgraph,
  brand: createBrandSubgraph,
  strategy: createStrategySubgraph,
  creation: createCreationSubgraph,
  campaigns: createCampaignsSubgraph,
};

export interface StackOptions {
  /** Environment to read configuration from (defaults to process.env). */
  env?: Env;
  /** Listen on ports chosen by the system instead of 4000–4005 (tests). */
  ephemeralPorts?: boolean;
  /** Observes every SQL statement of every subgraph (query counting in tests). */
  onQuery?: (event: LogEvent) => void;
}

export interface Stack {
  /** The gateway's GraphQL endpoint. */
  url: string;
  /** The fake providers started for sandbox accounts (INTEGRATIONS_SANDBOX=true, `npm start -- --sandbox`). */
  sandbox?: RunningFakes;
  subgraphUrls: Record<SubgraphName, string>;
  database: DatabaseHost;
  stop(): Promise<void>;
}

/**
 * The whole system in one process: five subgraphs sharing one database host (PGlite by default), and the gateway
 * in front of them. `npm start` runs this; so do the end-to-end tests.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const sandbox = (options.env ?? process.env).INTEGRATIONS_SANDBOX === 'true' ? await startFakeProviders() : undefined;
  // A provider configured for real keeps its configuration; the others point at their fakes.
  const env = sandbox ? { ...sandboxEnv(sandbox, options.env ?? process.env), ...(options.env ?? process.env) } : (options.env ?? process.env);
  const config = readCommonConfig(env);
  const logger = createLogger('stack', config.logLevel, { secrets: configSecrets(config) });
  const database = openDatabaseHost({
    url: config.databaseUrl,
    pgliteDir: config.pgliteDir === 'memory' ? 'memory' : join(config.pgliteDir, 'stack'),
    applicationName: 'umt-stack',
    timeouts: config.databaseTimeouts,
    onConnectionError: (error) => logger.warn({ err: error }, 'database connection lost; the pool opens a new one when needed'),
    ...(options.onQuery ? { onQuery: options.onQuery } : {}),
  });
  // One transport for the five subgraphs: with the in-process default it is the bus that connects them.
  const transport = createTransport(config.events, { logger: createLogger('events', config.logLevel, { secrets: configSecrets(config) }) });
  const started: Stoppable[] = [];
  const stop = async () => {
    for (const service of started.reverse()) await service.stop().catch(() => undefined);
    await transport.close();
    await database.close();
    await sandbox?.stop();
  };
  try {
    const gatewayConfig = readGatewayConfig(env);
    const subgraphUrls = {} as Record<SubgraphName, string>;
    // One at a time: with PGlite the migrations share one connection anyway.
    const subgraphs = [];
    for (const [index, { name }] of SUBGRAPHS.entries()) {
      const subgraph = FACTORIES[name](config, { databaseHost: database, eventTransport: transport });
      started.push(subgraph);
      subgraphs.push(subgraph);
      // The subgraphs take the five ports after the gateway's: 4001–4005 by default.
      subgraphUrls[name] = await subgraph.start({ port: options.ephemeralPorts ? 0 : gatewayConfig.port + index + 1, relay: false });
    }
    // Every queue exists now: the relays may start delivering (including what a previous run left in an outbox).
    for (const subgraph of subgraphs) subgraph.events.relay.start();
    gatewayConfig.subgraphUrls = subgraphUrls;
    const gateway: Gateway = createGateway(gatewayConfig);
    started.push(gateway);
    const url = await gateway.start(options.ephemeralPorts ? { port: 0 } : {});
    return { url, subgraphUrls, database, stop, ...(sandbox ? { sandbox } : {}) };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The fakes' variables for the providers the environment does not configure itself. */
function sandboxEnv(sandbox: RunningFakes, env: Env): Env {
  const chosen: Env = {};
  for (const id of Object.keys(sandbox.providers)) {
    const prefix = `INTEGRATION_${id.toUpperCase()}_`;
    if (env[`${prefix}API_URL`] || env[`${prefix}AUTH_URL`]) continue;
    for (const [name, value] of Object.entries(sandbox.env)) if (name.startsWith(prefix)) chosen[name] = value;
  }
  return chosen;
}
