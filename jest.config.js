/**
 * One jest run for the whole workspace. Tests import the built packages (npm test builds first), so what is tested
 * is what runs. Some dependencies ship only ES modules, which jest's CommonJS loader cannot require: swc transforms them.
 */
const esmOnly = ['quick-lru', 'p-map', 'content-disposition', 'cookie'];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/infra', '<rootDir>/integrations', '<rootDir>/ai', '<rootDir>/fakes', '<rootDir>/gateway', '<rootDir>/subgraphs', '<rootDir>/stack'],
  testMatch: ['**/test/**/*.test.ts'],
  transform: {
    '^.+\\.(t|j|mj)s$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
  testTimeout: 60_000,
  // Every file isolates itself (its own database, exchange, keys, ports; outages through proxies of its own), so files
  // run side by side, one per core.
  maxWorkers: '100%',
  reporters: ['default', '<rootDir>/scripts/summary-reporter.js'],
};
