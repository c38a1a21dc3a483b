import { accessTokenCodec, graphError, PRINCIPAL_HEADER, principalCodec, SUBGRAPHS, type CommonConfig, type Principal, type SubgraphName, type TokenCodec } from '@umt/infra';
import type { GraphQLError } from 'graphql';
import { ApiKeyVerifier } from './api-keys';

/** Who is calling, as authentication establishes it. */
export interface AuthenticatedCaller {
  principal: Principal;
  /** The principal signed for one subgraph (its audience), at most once per subgraph and request. */
  principalFor(subgraph: string): string;
}

/** The GraphQL context of a gateway request. */
export interface GatewayContext extends AuthenticatedCaller {
  /** The request's id (x-request-id), forwarded with every subgraph fetch so one id links every service's lines. */
  requestId: string;
}

export interface CallerCredentials {
  authorization?: string | undefined;
  apiKey?: string | undefined;
  address: string;
}

export const API_KEY_HEADER = 'x-api-key';

/**
 * Establishes who is calling: a user (Authorization: Bearer <access token>), a partner (X-API-Key: <key>) or an
 * anonymous visitor, and signs the principal the subgraphs will verify.
 */
export function createAuthenticator(
  config: CommonConfig,
  apiKeyCheck: { endpoint: string; cacheSeconds: number },
): { authenticate(credentials: CallerCredentials): Promise<AuthenticatedCaller> } {
  const accessTokens = accessTokenCodec(config.authTokenKeys, config.authTokenTtlSeconds);
  const codecs = new Map<string, TokenCodec>(
    SUBGRAPHS.map(({ name }) => [name, principalCodec(config.principalKeys, config.principalTtlSeconds, name)]),
  );
  const sign = (principal: Principal, subgraph: string): string => {
    const codec = codecs.get(subgraph);
    if (!codec) throw new Error(`no principal audience for subgraph ${subgraph}`);
    return codec.sign(principal);
  };
  const apiKeys = new ApiKeyVerifier(apiKeyCheck.endpoint, apiKeyCheck.cacheSeconds, () => ({
    [PRINCIPAL_HEADER]: sign({ kind: 'gateway' }, 'auth' satisfies SubgraphName),
  }));

  async function principalOf({ authorization, apiKey, address }: CallerCredentials): Promise<Principal> {
    if (authorization && apiKey) throw unauthenticated('Send either an Authorization header or an X-API-Key header, not both.');
    if (apiKey) {
      const key = await apiKeys.verify(apiKey);
      if (!key) throw unauthenticated('The API key is invalid, expired or revoked.');
      return { kind: 'apiKey', keyId: key.keyId, orgId: key.orgId, scopes: key.scopes, address };
    }
    if (!authorization) return { kind: 'anonymous', address };
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match?.[1]) throw unauthenticated('The Authorization header must be "Bearer <token>".');
    let principal: Principal;
    try {
      principal = accessTokens.verify(match[1]);
    } catch {
      throw unauthenticated('The access token is invalid or has expired: refresh it or log in again.');
    }
    if (principal.kind !== 'user') throw unauthenticated('The access token is not a user token.');
    return { ...principal, address };
  }

  return {
    async authenticate(credentials) {
      const principal = await principalOf(credentials);
      const signed = new Map<string, string>();
      return {
        principal,
        principalFor(subgraph) {
          let token = signed.get(subgraph);
          if (!token) signed.set(subgraph, (token = sign(principal, subgraph)));
          return token;
        },
      };
    },
  };
}

function unauthenticated(message: string): GraphQLError {
  return graphError('UNAUTHENTICATED', message, { http: { status: 401 } });
}
