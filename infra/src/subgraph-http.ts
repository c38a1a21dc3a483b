/**
 * GraphQL over HTTP at a subgraph, as the GraphQL-over-HTTP specification asks: client mistakes get a 4xx and a coded
 * GraphQL error, logged at info without a stack; only the service's own failures are 5xx and logged as errors.
 *
 * - A request that cannot be read (no or wrong content type, bad JSON, a body or parameters of the wrong shape or
 *   type, no query) gets 400, 413 or 415 before anything executes; a mutation sent with GET gets 405.
 * - A document that does not parse or validate, or variables that do not fit it, get 400 when the client accepts
 *   `application/graphql-response+json` (and then no `data` entry); with plain `application/json`, which the gateway
 *   sends, 200 as the specification prefers for that media type, so the gateway reads the errors from the body.
 * - Execution answers 200, with `data` and any field errors; an unexpected error is masked as INTERNAL_SERVER_ERROR,
 *   and a database that is away or too slow shows as SERVICE_UNAVAILABLE.
 * - The answer's content type follows what the client accepts.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GraphQLError, parse, validate, type ExecutionResult, type FormattedExecutionResult, type GraphQLSchema } from 'graphql';
import type { MercuriusContext } from 'mercurius';
import { isDatabaseUnavailable } from './database-connections';
import { CLIENT_ERROR_CODES } from './errors';

const GRAPHQL_RESPONSE = 'application/graphql-response+json';

/** The media type of the answer: the GraphQL one when the client accepts it before (or instead of) plain JSON. */
export function responseMediaType(accept: string | undefined): 'application/json' | typeof GRAPHQL_RESPONSE {
  if (!accept) return 'application/json';
  const types = accept.split(',').map((part) => (part.split(';')[0] ?? '').trim().toLowerCase());
  const graphql = types.indexOf(GRAPHQL_RESPONSE);
  if (graphql === -1) return 'application/json';
  const json = types.findIndex((type) => type === 'application/json' || type === '*/*' || type === 'application/*');
  return json === -1 || graphql < json ? GRAPHQL_RESPONSE : 'application/json';
}

interface ClientMistake {
  status: number;
  code: string;
  message: string;
}

/** Fastify's own client errors (body parsing and size), with the code the caller gets for each status. */
const CODE_BY_STATUS: Record<number, string> = { 400: 'BAD_REQUEST', 405: 'METHOD_NOT_ALLOWED', 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE' };

type MercuriusError = FastifyError & { errors?: unknown[] };

/** The GraphQL errors of a failed parse, validation or variable coercion, each with the code it deserves. */
function documentErrors(schema: GraphQLSchema, query: unknown, errors: unknown[]): GraphQLError[] {
  const graphqlErrors = errors.filter((e): e is GraphQLError => e instanceof GraphQLError);
  let code = 'GRAPHQL_VALIDATION_FAILED';
  if (graphqlErrors.some((e) => e.message.startsWith('Syntax Error'))) code = 'GRAPHQL_PARSE_FAILED';
  else if (typeof query === 'string') {
    // mercurius reports validation and variable coercion alike; a document that validates means the variables failed.
    try {
      if (validate(schema, parse(query)).length === 0) code = 'BAD_USER_INPUT';
    } catch {
      // unparsable: keep the validation code
    }
  }
  return graphqlErrors.map(
    (error) => new GraphQLError(error.message, { ...(error.nodes ? { nodes: error.nodes } : {}), extensions: { ...error.extensions, code } }),
  );
}

function queryOf(request: FastifyRequest): unknown {
  const source = request.method === 'GET' ? request.query : request.body;
  return typeof source === 'object' && source !== null ? (source as { query?: unknown }).query : undefined;
}

/** A request whose parameters have the wrong types, refused before mercurius' schema could coerce them. */
class BadParametersError extends Error {
  readonly statusCode = 400;
  readonly code = 'UMT_BAD_PARAMETERS';
}

const PARAMETER_TYPES: Record<string, (value: unknown) => boolean> = {
  query: (value) => typeof value === 'string',
  operationName: (value) => typeof value === 'string',
  variables: (value) => typeof value === 'object' && !Array.isArray(value),
  extensions: (value) => typeof value === 'object' && !Array.isArray(value),
};

/** What the caller did wrong, or undefined when the failure is the service's own. */
function clientMistake(error: MercuriusError): ClientMistake | undefined {
  if (error instanceof BadParametersError) return { status: 400, code: 'BAD_REQUEST', message: error.message };
  if (error.code === 'MER_ERR_GQL_PERSISTED_QUERY_NOT_FOUND') {
    return { status: 400, code: 'BAD_REQUEST', message: 'The request has no query: send { "query": "…" }.' };
  }
  if (error.code === 'MER_ERR_METHOD_NOT_ALLOWED') {
    return { status: 405, code: 'METHOD_NOT_ALLOWED', message: 'Only queries can be sent with GET; send mutations with POST.' };
  }
  if (error.code === 'MER_ERR_GQL_VALIDATION' && error.errors?.[0] && !(error.errors[0] instanceof GraphQLError)) {
    // The route's JSON schema refused the parameters (query not a string, variables not an object, …).
    const first = error.errors[0] as { message?: unknown; validationContext?: unknown };
    const where = typeof first.validationContext === 'string' ? `${first.validationContext}` : 'request';
    const reason = typeof first.message === 'string' ? first.message : 'malformed parameters';
    return { status: 400, code: 'BAD_REQUEST', message: `Invalid ${where}: ${reason}.` };
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500 && error.code?.startsWith('FST_')) {
    // Fastify's client errors have fixed, safe messages ("Unsupported Media Type", "Body is not valid JSON …").
    return { status, code: CODE_BY_STATUS[status] ?? 'BAD_REQUEST', message: error.message || 'The request is malformed.' };
  }
  return undefined;
}

/**
 * mercurius' errorHandler: everything thrown before execution (request parsing, parameters, document) ends here.
 * Answers in the GraphQL response shape with the status the specification asks for.
 */
export function graphqlRequestErrors(schema: () => GraphQLSchema) {
  return async (error: MercuriusError, request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const mediaType = responseMediaType(request.headers.accept);
    if (error.code === 'MER_ERR_GQL_VALIDATION' && error.errors?.[0] instanceof GraphQLError) {
      const errors = documentErrors(schema(), queryOf(request), error.errors);
      request.log.info({ code: errors[0]?.extensions.code, errors: errors.length }, errors[0]?.message ?? 'invalid document');
      await reply
        .code(mediaType === GRAPHQL_RESPONSE ? 400 : 200)
        .type(`${mediaType}; charset=utf-8`)
        .send(mediaType === GRAPHQL_RESPONSE ? { errors } : { data: null, errors });
      return;
    }
    const mistake = clientMistake(error);
    if (mistake) {
      request.log.info({ status: mistake.status, code: mistake.code }, mistake.message);
      if (mistake.status === 405) void reply.header('allow', 'POST');
      await reply
        .code(mistake.status)
        .type(`${mediaType}; charset=utf-8`)
        .send({ errors: [{ message: mistake.message, extensions: { code: mistake.code } }] });
      return;
    }
    request.log.error({ err: error }, 'request failed');
    await reply
      .code(500)
      .type(`${mediaType}; charset=utf-8`)
      .send({ errors: [{ message: 'Internal server error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
  };
}

/** How execution errors leave a subgraph: client errors as they are, the service's own failures masked. */
export function executionErrorFormatter(production: boolean) {
  return (execution: ExecutionResult & { errors: readonly GraphQLError[] }, ctx: MercuriusContext): { statusCode: number; response: FormattedExecutionResult } => {
    const log = ctx.reply?.log ?? ctx.app.log;
    const errors = execution.errors.map((error) => maskInternalError(error, production, log).toJSON());
    // Execution answers 200: the gateway reads errors from the body, next to the data that did resolve.
    return { statusCode: 200, response: { data: execution.data ?? null, errors } };
  };
}

/** Client errors pass unchanged; a missing database is SERVICE_UNAVAILABLE; anything else is logged and masked. */
export function maskInternalError(
  error: GraphQLError,
  production: boolean,
  log: { warn: (obj: object, msg: string) => void; error: (obj: object, msg: string) => void },
): GraphQLError {
  const original = error.originalError;
  const code = error.extensions?.code;
  if (!original || (typeof code === 'string' && CLIENT_ERROR_CODES.has(code))) return error;
  if (original instanceof GraphQLError && typeof original.extensions?.code === 'string' && CLIENT_ERROR_CODES.has(original.extensions.code)) {
    return error;
  }
  const location = { ...(error.path ? { path: error.path } : {}), ...(error.nodes ? { nodes: error.nodes } : {}) };
  if (isDatabaseUnavailable(original)) {
    log.warn({ err: original, path: error.path }, 'database unavailable');
    return new GraphQLError('The database is unavailable right now; try again in a moment.', {
      ...location,
      extensions: { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 1 },
    });
  }
  log.error({ err: original, path: error.path }, 'resolver failed');
  return new GraphQLError(production ? 'Internal server error.' : `Internal server error: ${original.message}`, {
    ...location,
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  });
}

/**
 * Hooks of the GraphQL routes: plain text is not a GraphQL request (415); null optional parameters count as absent
 * (the specification allows `"extensions": null`, which mercurius' body schema would refuse), parameters of the wrong
 * type are refused rather than coerced; and the answer's content type follows the client's Accept header.
 */
export function conformGraphQLRoutes(app: FastifyInstance, path: string): void {
  // A subgraph takes JSON (and mercurius' application/graphql) only: plain text would reach the route as a string.
  app.removeContentTypeParser('text/plain');
  app.addHook('preValidation', async (request) => {
    if (request.method !== 'POST' || !request.url.startsWith(path)) return;
    const body = request.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return;
    const parameters = body as Record<string, unknown>;
    for (const key of ['variables', 'extensions', 'operationName']) if (parameters[key] === null) delete parameters[key];
    // The route's JSON schema would coerce a number or boolean query into a string and run it.
    for (const [key, fits] of Object.entries(PARAMETER_TYPES)) {
      if (key in parameters && !fits(parameters[key])) throw new BadParametersError(`Invalid request: "${key}" must be ${key === 'variables' || key === 'extensions' ? 'an object' : 'a string'}.`);
    }
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (!request.url.startsWith(path) || responseMediaType(request.headers.accept) !== GRAPHQL_RESPONSE) return payload;
    const type = String(reply.getHeader('content-type') ?? '');
    if (type.startsWith('application/json')) void reply.header('content-type', `${GRAPHQL_RESPONSE}; charset=utf-8`);
    return payload;
  });
}
