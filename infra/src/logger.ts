import { pino, type Logger } from 'pino';

/** Paths that never reach a log line: credentials in headers and in GraphQL variables. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-umt-principal"]',
  'req.headers["x-api-key"]',
  '*.password',
  '*.token',
  '*.accessToken',
  'variables.input.password',
];

/** Structured JSON logs, one logger per service, so every line says which service wrote it. */
export function createLogger(service: string, level: string): Logger {
  return pino({
    level,
    base: { service },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
