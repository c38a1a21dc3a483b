import { context, isSpanContextValid, trace } from '@opentelemetry/api';
import { pino, type DestinationStream, type Logger } from 'pino';
import type { CommonConfig } from './service-config';

const CENSOR = '[redacted]';

/** Field names whose values are credentials wherever they appear in a logged object. */
const SECRET_FIELDS = [
  'password',
  'currentPassword',
  'newPassword',
  'token',
  'accessToken',
  'refreshToken',
  'emailVerificationToken',
  'invitationToken',
  'principalToken',
  'apiKey',
  'secret',
  'authorization',
  'cookie',
];

/** Headers that carry credentials, in whatever request or response object is logged. */
const SECRET_HEADERS = ['authorization', 'cookie', 'set-cookie', 'x-umt-principal', 'x-api-key', 'proxy-authorization'];

/** A header's redaction path under `holder` (bracket notation for names that are not identifiers). */
const headerPath = (holder: string, header: string) => `${holder}headers${/^\w+$/.test(header) ? `.${header}` : `["${header}"]`}`;

/** The credentials most likely to sit one level down in a logged object (an input, a result). */
const NESTED_SECRET_FIELDS = ['password', 'currentPassword', 'newPassword', 'token', 'accessToken', 'refreshToken', 'apiKey', 'secret'];

/**
 * Paths that never reach a log line: credentials in headers, in GraphQL variables and in any object logged.
 * Fixed paths cost little; each wildcard path costs every line (pino's redaction walks it), so wildcards are kept to
 * the likeliest fields one level down, and the scrubber below is the backstop for configured secrets.
 */
export const REDACTED_PATHS = [
  ...['req.', 'res.', 'request.', 'response.', ''].flatMap((holder) => SECRET_HEADERS.map((header) => headerPath(holder, header))),
  ...SECRET_FIELDS,
  ...NESTED_SECRET_FIELDS.map((field) => `*.${field}`),
  ...['password', 'currentPassword', 'newPassword', 'token', 'refreshToken'].map((field) => `variables.input.${field}`),
];

/** userinfo in any URL (postgres://user:password@host, amqp://guest:guest@…): the password part is replaced. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/?#@"]*):([^\s@/?#"]+)@/gi;

/** Shorter values are not scrubbed by value: replacing every "guest" or "dev" in a line would garble it. */
const MIN_SCRUBBED_LENGTH = 8;

export interface LoggerOptions {
  /**
   * Values that must never appear in a line, whatever field or message carries them (signing secrets, the
   * passwords of configured URLs): every occurrence is replaced before the line is written.
   */
  secrets?: Iterable<string | undefined>;
  /** Where lines go; stdout by default. */
  destination?: DestinationStream;
}

/** The trace context of the active span, as the OpenTelemetry log conventions name it; none outside a span. */
function traceFields(): Record<string, string> {
  const span = trace.getSpan(context.active());
  if (!span) return {};
  const spanContext = span.spanContext();
  if (!isSpanContextValid(spanContext)) return {};
  return {
    trace_id: spanContext.traceId,
    span_id: spanContext.spanId,
    trace_flags: spanContext.traceFlags.toString(16).padStart(2, '0'),
  };
}

/** The password of a URL, if it has one. */
function urlPassword(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const password = new URL(url).password;
    return password ? decodeURIComponent(password) : undefined;
  } catch {
    return undefined;
  }
}

/** The secret values of a service's configuration, for LoggerOptions.secrets. */
export function configSecrets(config: CommonConfig): string[] {
  return [
    config.authTokenKeys.secret,
    ...config.authTokenKeys.acceptedSecrets,
    config.principalKeys.secret,
    ...config.principalKeys.acceptedSecrets,
    config.metricsToken,
    urlPassword(config.databaseUrl),
    urlPassword(config.redisUrl),
    urlPassword(config.events.amqpUrl),
  ].filter((value): value is string => typeof value === 'string');
}

/** Replaces known secret values (raw and as they look inside a JSON string) and URL passwords in a written line. */
function scrubber(secrets: Iterable<string | undefined>): (line: string) => string {
  const needles = new Set<string>();
  for (const secret of secrets) {
    if (!secret || secret.length < MIN_SCRUBBED_LENGTH) continue;
    needles.add(secret);
    needles.add(JSON.stringify(secret).slice(1, -1));
  }
  const ordered = [...needles].sort((a, b) => b.length - a.length); // a secret containing another goes first
  return (line) => {
    let scrubbed = line.replace(URL_CREDENTIALS, `$1:${CENSOR}@`);
    for (const needle of ordered) if (scrubbed.includes(needle)) scrubbed = scrubbed.split(needle).join(CENSOR);
    return scrubbed;
  };
}

/** What a request line says about the request: never headers, and the path without its query string. */
function requestSummary(request: { method?: string; url?: string; ip?: string; host?: string; socket?: { remotePort?: number } }) {
  const url = request.url ?? '';
  const query = url.indexOf('?');
  return {
    method: request.method,
    // A GraphQL GET carries its variables in the query string, and a client may put anything there.
    url: query === -1 ? url : `${url.slice(0, query)}?${CENSOR}`,
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

/** The properties of an error worth a log line; anything else an error carries (a pg client, a request) is left out. */
const ERROR_FIELDS = ['code', 'errno', 'syscall', 'address', 'port', 'statusCode', 'severity', 'path'] as const;
const MAX_CAUSE_DEPTH = 3;

/**
 * Errors as log lines show them: type, message, stack and a few diagnostic fields, with their causes. pino's own
 * serializer copies every enumerable property, and some libraries hang large objects on their errors (pg-pool
 * attaches the whole client to a lost connection's error: its connection parameters and backend secret key).
 */
export function serializeError(error: unknown, depth = 0): unknown {
  if (!(error instanceof Error)) return error;
  const serialized: Record<string, unknown> = { type: error.name, message: error.message, stack: error.stack };
  const fields = error as unknown as Record<string, unknown>;
  for (const field of ERROR_FIELDS) {
    const value = fields[field];
    if (typeof value === 'string' || typeof value === 'number' || (field === 'path' && Array.isArray(value))) serialized[field] = value;
  }
  const extensions = fields.extensions as { code?: unknown } | undefined;
  if (typeof extensions?.code === 'string') serialized.extensionsCode = extensions.code;
  if (error.cause !== undefined && depth < MAX_CAUSE_DEPTH) serialized.cause = serializeError(error.cause, depth + 1);
  if (error instanceof AggregateError && depth < MAX_CAUSE_DEPTH) serialized.errors = error.errors.slice(0, 5).map((e) => serializeError(e, depth + 1));
  return serialized;
}

/**
 * Structured JSON logs, one logger per service, so every line says which service wrote it. A line written while a
 * span is active carries its trace_id, span_id and trace_flags, so logs and traces join up.
 */
export function createLogger(service: string, level: string, options: LoggerOptions = {}): Logger {
  const scrub = scrubber(options.secrets ?? []);
  return pino({
    level,
    base: { service },
    mixin: traceFields,
    redact: { paths: REDACTED_PATHS, censor: CENSOR },
    serializers: { req: requestSummary, err: serializeError },
    hooks: { streamWrite: scrub },
    timestamp: pino.stdTimeFunctions.isoTime,
  }, options.destination);
}
