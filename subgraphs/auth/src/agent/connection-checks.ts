import type { BackgroundServices } from '@umt/infra';
import type { DB } from '../db/schema';
import type { Connections } from './connections';

const BATCH = 20;

/**
 * The schedule of platform connections: every CONNECTION_SCAN_SECONDS, the connections due for a check or whose token
 * expires within CONNECTION_REFRESH_AHEAD_SECONDS are checked (refreshing the token first). One scan at a time; a
 * failure is logged and the next scan goes on.
 */
export function scheduleConnectionChecks(connections: Connections, scanSeconds: number) {
  return ({ db, events, logger }: BackgroundServices<DB>) => {
    let running: Promise<void> | undefined;
    let stopped = false;
    const scan = async () => {
      for (let round = 0; round < 50 && !stopped; round++) {
        const due = await connections.claimDue(db, BATCH);
        for (const row of due) {
          if (stopped) return;
          const checked = await connections.check(db, events, row).catch((error: unknown) => {
            logger.warn({ err: error, connectionId: row.id, provider: row.provider }, 'connection check failed');
            return undefined;
          });
          if (checked && checked.health !== row.health) {
            logger.info({ connectionId: row.id, provider: row.provider, from: row.health, to: checked.health, code: checked.lastErrorCode }, 'connection health changed');
          }
        }
        if (due.length < BATCH) return;
      }
    };
    const timer = setInterval(() => {
      running ??= scan()
        .catch((error: unknown) => logger.warn({ err: error }, 'connection scan failed'))
        .finally(() => {
          running = undefined;
        });
    }, scanSeconds * 1000);
    timer.unref();
    return {
      async stop() {
        stopped = true;
        clearInterval(timer);
        await running;
      },
    };
  };
}
