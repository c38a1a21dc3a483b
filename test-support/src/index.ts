/** Test support shared by every package's tests. Each test isolates itself: its own database, exchange, keys. */
export * from './wait';
export * from './amqp';
export * from './postgres';
export * from './tcp-proxy';
export * from './otlp';
export * from './processes';
export * from './graphql';
export * from './team';
export * from './fingerprint';
export * from './isolated-services';
export * from './prometheus';
export * from './rejection';
