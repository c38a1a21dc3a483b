export * from './tables';
export * from './settings';
export * from './cost';
export * from './budget';
export * from './response-cache';
export * from './generation-jobs';
