import { pino, type Logger } from 'pino';

/** The default when a caller gives no logger. */
export const silentLogger: Logger = pino({ level: 'silent' });

/**
 * `logger` with `service` bound, unless it is bound already: pino writes a child's binding again even when a parent
 * has the same key, and a line with a key twice is not valid for stricter JSON readers.
 */
export function forService(logger: Logger, service: string, bindings: Record<string, unknown> = {}): Logger {
  const bound = (logger.bindings() as { service?: unknown }).service === service;
  return logger.child(bound ? bindings : { service, ...bindings });
}
