import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { GraphQLError } from 'graphql';

/** An error answered before GraphQL runs (rate limit, body size, …), with the status and code the caller gets. */
export class HttpGraphQLError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'HttpGraphQLError';
  }
}

const CODE_BY_STATUS: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
};

interface Answer {
  status: number;
  message: string;
  extensions: Record<string, unknown> & { code: string };
}

function answerFor(error: unknown, bodyLimit: number | undefined): Answer {
  if (error instanceof HttpGraphQLError) {
    return { status: error.statusCode, message: error.message, extensions: { ...error.extensions, code: error.code } };
  }
  if (error instanceof GraphQLError) {
    const { http, code, ...extensions } = error.extensions as { http?: { status?: number }; code?: unknown };
    const status = http?.status ?? 500;
    if (status < 500) return { status, message: error.message, extensions: { ...extensions, code: typeof code === 'string' ? code : CODE_BY_STATUS[status] ?? 'BAD_REQUEST' } };
  }
  const status = (error as Partial<FastifyError>).statusCode ?? 500;
  if (status === 413) {
    const limit = bodyLimit === undefined ? '' : ` of ${bodyLimit} bytes`;
    return { status, message: `The request body is larger than the limit${limit}.`, extensions: { code: 'PAYLOAD_TOO_LARGE', maxBytes: bodyLimit } };
  }
  if (status >= 400 && status < 500) {
    // Fastify's own client errors have fixed, safe messages ("Body is not valid JSON but content-type is set to …").
    const message = (error as Partial<FastifyError>).message || 'The request is malformed.';
    return { status, message, extensions: { code: CODE_BY_STATUS[status] ?? 'BAD_REQUEST' } };
  }
  return { status: 500, message: 'Internal server error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

/**
 * Fastify's error handler: every error raised outside GraphQL execution (body too large or not JSON, rate limited,
 * a failing hook) is answered in the GraphQL response shape with an extensions.code, and never with a stack trace.
 */
export function graphQLShapedErrors(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const { status, message, extensions } = answerFor(error, request.routeOptions.bodyLimit);
  if (status >= 500) request.log.error({ err: error }, 'request failed');
  else request.log.info({ status, code: extensions.code }, message);
  return reply.code(status).type('application/json; charset=utf-8').send({ errors: [{ message, extensions }] });
}
