import { accessTokenCodec, graphError, principalCodec, type CommonConfig, type Principal } from '@umt/infra';

export interface GatewayContext {
  principal: Principal;
  /** The principal signed for the subgraphs, once per request. */
  principalToken: string;
}

/** Turns the Authorization header into the request's principal and the token the subgraphs will verify. */
export function createAuthenticator(config: CommonConfig): (authorization: string | undefined) => GatewayContext {
  const accessTokens = accessTokenCodec(config.authTokenSecret, config.authTokenTtlSeconds);
  const principals = principalCodec(config.principalSecret, config.principalTtlSeconds);
  return (authorization) => {
    let principal: Principal = { kind: 'anonymous' };
    if (authorization !== undefined && authorization !== '') {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization);
      if (!match?.[1]) throw unauthenticated('The Authorization header must be "Bearer <token>".');
      try {
        principal = accessTokens.verify(match[1]);
      } catch {
        throw unauthenticated('The access token is invalid or has expired: log in again.');
      }
    }
    return { principal, principalToken: principals.sign(principal) };
  };
}

function unauthenticated(message: string) {
  return graphError('UNAUTHENTICATED', message, { http: { status: 401 } });
}
