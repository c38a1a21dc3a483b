/** The event backbone (DESIGN.md §4): transactional outbox, relay, transports, idempotent consumers, dead letters. */
export * from './envelope';
export * from './unprocessable';
export * from './catalog';
export * from './tables';
export * from './outbox';
export * from './tracing';
export * from './transport';
export * from './in-process-transport';
export * from './amqp-transport';
export * from './relay';
export * from './consumer';
export * from './dead-letters';
export * from './config';
export * from './backbone';
export { silentLogger } from './silent-logger';
