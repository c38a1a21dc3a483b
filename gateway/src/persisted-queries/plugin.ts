import type { ApolloServerPlugin, GraphQLRequest } from '@apollo/server';
import type { FastifyBaseLogger } from 'fastify';
import { GraphQLError } from 'graphql';
import type { GatewayContext } from '../principal';
import type { PersistedQueriesConfig, PersistedQueryPolicy } from './config';
import type { ApqStore } from './apq-store';
import { sha256Hex, type ManifestOperation } from './manifest';

/** The extensions.code of each refusal. */
export const PERSISTED_QUERY_CODES = {
  idRequired: 'PERSISTED_QUERY_ID_REQUIRED',
  notInList: 'PERSISTED_QUERY_NOT_IN_LIST',
  /** APQ: the query text sent with a hash is not the text of that hash (Apollo answers 400 without a code). */
  hashMismatch: 'PERSISTED_QUERY_HASH_MISMATCH',
  /** APQ: extensions.persistedQuery.version is not 1 (idem). */
  versionNotSupported: 'PERSISTED_QUERY_VERSION_NOT_SUPPORTED',
} as const;

const CODES = new Set<unknown>(Object.values(PERSISTED_QUERY_CODES));

type CallerKind = 'partner' | 'user';

function refused(code: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status: 400 } } });
}

/** The id a request names, as APQ clients and Apollo's persisted-query link send it. */
function persistedQueryId(request: GraphQLRequest): string | undefined {
  const persisted = request.extensions?.persistedQuery as { sha256Hash?: unknown } | undefined;
  return typeof persisted?.sha256Hash === 'string' ? persisted.sha256Hash : undefined;
}

function withoutPersistedQuery(extensions: GraphQLRequest['extensions']): GraphQLRequest['extensions'] {
  if (!extensions) return extensions;
  const { persistedQuery: _persistedQuery, ...rest } = extensions;
  return rest;
}

/** The operation's name for the log: the one the request gives, else the first named operation in its text. */
function operationNameOf(request: GraphQLRequest): string | null {
  if (request.operationName) return request.operationName;
  if (typeof request.query !== 'string') return null;
  return /\b(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/.exec(request.query)?.[1] ?? null;
}

/**
 * Persisted queries by kind of caller (see PersistedQueryPolicy). Runs as an Apollo plugin's requestDidStart, so it
 * sees each operation exactly as Apollo parsed it from a POST body or a GET query string (batches operation by
 * operation) and before Apollo's own APQ handling:
 *
 * - a request naming a manifest operation by id without its text gets the manifest's body (for every caller);
 * - under `safelist` a request without an id is refused (PERSISTED_QUERY_ID_REQUIRED), and one whose id is not in
 *   the manifest, or whose text is not the manifest's body, too (PERSISTED_QUERY_NOT_IN_LIST);
 * - under `apq` a request without an id is refused (PERSISTED_QUERY_ID_REQUIRED); Apollo's APQ does the rest;
 * - a persisted-query version other than 1, or a hash that is not the sha256 of the text sent with it, is refused
 *   with its own code (Apollo refuses both too, but with HTTP 400 and no code).
 *
 * A refusal is thrown before anything is parsed or run; Apollo then calls unexpectedErrorProcessingRequest, which
 * rethrows it so that it is answered as it is (HTTP 400 and its code) instead of as an internal error.
 */
export function persistedQueryPlugin(
  config: PersistedQueriesConfig,
  manifest: { get(id: string): ManifestOperation | undefined },
  logger: FastifyBaseLogger,
  apqStore: ApqStore,
): ApolloServerPlugin<GatewayContext> {
  const policyOf = (kind: CallerKind): PersistedQueryPolicy => (kind === 'partner' ? config.partners : config.users);

  return {
    async requestDidStart({ request, contextValue }) {
      const principal = contextValue.principal;
      const kind: CallerKind = principal.kind === 'apiKey' ? 'partner' : 'user';
      const policy = policyOf(kind);
      const id = persistedQueryId(request);
      const listed = id === undefined ? undefined : manifest.get(id);
      const text = typeof request.query === 'string' ? request.query : undefined;

      const logUnknown = (outcome: 'refused' | 'allowed', code?: string) => {
        if (!config.logUnknown) return;
        logger.warn(
          {
            caller: kind,
            ...(principal.kind === 'apiKey' ? { keyId: principal.keyId } : {}),
            operationName: operationNameOf(request),
            hash: id ?? (text === undefined ? null : sha256Hex(text)),
            policy,
            outcome,
            ...(code ? { code } : {}),
          },
          'operation not in the persisted query manifest',
        );
      };

      const persisted = request.extensions?.persistedQuery as { version?: unknown } | undefined;
      if (persisted && persisted.version !== 1) {
        throw refused(PERSISTED_QUERY_CODES.versionNotSupported, 'Unsupported persisted query version: send extensions.persistedQuery.version 1.');
      }
      if (listed && (text === undefined || text === listed.body)) {
        // A manifest operation: run the manifest's text, without going through (or writing to) the APQ cache.
        request.query = listed.body;
        request.extensions = withoutPersistedQuery(request.extensions);
        return;
      }
      if (policy === 'safelist') {
        const [code, message] =
          id === undefined
            ? [PERSISTED_QUERY_CODES.idRequired, 'Only operations of the persisted query list may run: send the id of one as extensions.persistedQuery.sha256Hash.']
            : listed
              ? [PERSISTED_QUERY_CODES.notInList, 'The query text is not the text of the listed operation with this id: send the id alone.']
              : [PERSISTED_QUERY_CODES.notInList, 'No operation of the persisted query list has this id.'];
        logUnknown('refused', code);
        throw refused(code, message);
      }
      if (policy === 'apq' && id === undefined) {
        logUnknown('refused', PERSISTED_QUERY_CODES.idRequired);
        throw refused(
          PERSISTED_QUERY_CODES.idRequired,
          'Send operations as persisted queries: extensions.persistedQuery.sha256Hash (with the query text to register it).',
        );
      }
      if (id !== undefined && text !== undefined && sha256Hex(text) !== id) {
        throw refused(PERSISTED_QUERY_CODES.hashMismatch, 'extensions.persistedQuery.sha256Hash is not the sha256 of the query text.');
      }
      logUnknown('allowed');
      if (id === undefined || text === undefined) return;
      // A registration: the client may send the hash alone as soon as this answer arrives.
      return {
        async willSendResponse() {
          await apqStore.stored(id);
        },
      };
    },

    async unexpectedErrorProcessingRequest({ error }) {
      if (error instanceof GraphQLError && CODES.has(error.extensions.code)) {
        logger.info({ code: error.extensions.code }, 'operation refused by the persisted query policy');
        throw error;
      }
    },
  };
}
