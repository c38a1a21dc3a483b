import { accessTokenCodec, graphError, PRINCIPAL_HEADER, principalCodec, type CommonConfig, type Principal } from '@umt/infra';
import type { GraphQLError } from 'graphql';
import { ApiKeyVerifier } from './api-keys';

/** Who is calling, as authentication establishes it. */
export interface AuthenticatedCaller {
  principal: Principal;
  /** The principal signed for the subgraphs, once per request. */
  principalToken: string;
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
  const principals = principalCodec(config.principalKeys, config.principalTtlSeconds);
  const apiKeys = new ApiKeyVerifier(apiKeyCheck.endpoint, apiKeyCheck.cacheSeconds, () => ({
    [PRINCIPAL_HEADER]: principals.sign({ kind: 'gateway' }),
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
      return { principal, principalToken: principals.sign(principal) };
    },
  };
}

function unauthenticated(message: string): GraphQLError {
  return graphError('UNAUTHENTICATED', message, { http: { status: 401 } });
}
