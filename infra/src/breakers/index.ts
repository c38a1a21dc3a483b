export * from './breaker';
export * from './errors';
export * from './registry';
export * from './settings';
