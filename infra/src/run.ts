import { exitOnConfigError } from './config';
import { readCommonConfig, readPort, type CommonConfig } from './service-config';
import { SUBGRAPHS, type SubgraphName } from './services';
import type { Subgraph } from './subgraph';
import { stopTelemetry } from './telemetry';

export interface Stoppable {
  stop(): Promise<void>;
  /**
   * The first step of a shutdown, when the service has one: readiness answers 503 from now on while requests are
   * still served; resolves once the drain period (SHUTDOWN_DRAIN_SECONDS) is over.
   */
  drain?(): Promise<void>;
}

/**
 * Graceful shutdown for an entry point: on SIGTERM or SIGINT drain (readiness false, still serving, so a load
 * balancer stops routing here first), then stop accepting, finish in-flight work, close pools, flush traces, and
 * exit. A second signal forces the exit; so does a stop that takes longer than `timeoutMs` after the drain.
 */
export function exitGracefully(service: Stoppable, log: (message: string) => void, timeoutMs = 10_000): void {
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    log(`${signal} received: shutting down`);
    // The drain is a timer of its own; the stop timeout starts after it, so a long drain never counts against it.
    Promise.resolve(service.drain?.())
      .then(() => {
        const timer = setTimeout(() => {
          log('shutdown timed out: exiting');
          process.exit(1);
        }, timeoutMs);
        timer.unref();
        return service.stop();
      })
      .then(stopTelemetry)
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        log(`shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

/** Entry point of a subgraph run as its own process: config, start, graceful shutdown. */
export async function runStandaloneSubgraph<DB>(
  name: SubgraphName,
  create: (config: CommonConfig) => Subgraph<DB>,
): Promise<void> {
  const defaultPort = SUBGRAPHS.find((s) => s.name === name)?.port ?? 0;
  const { config, port } = exitOnConfigError(() => ({ config: readCommonConfig(), port: readPort(defaultPort) }));
  const subgraph = create(config);
  exitGracefully(subgraph, (message) => subgraph.app.log.info(message));
  try {
    await subgraph.start({ port });
  } catch (error) {
    subgraph.app.log.fatal({ err: error }, `${name} subgraph failed to start`);
    await subgraph.stop().catch(() => undefined);
    process.exit(1);
  }
}
