import { createSigner, createVerifier } from 'fast-jwt';

export const ROLES = ['OWNER', 'ADMIN', 'BRAND_MANAGER', 'CONTENT_CREATOR', 'VIEWER'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, as established by the gateway. */
export type Principal =
  | { kind: 'anonymous' }
  | { kind: 'user'; userId: string; orgId: string; roles: Role[] };

/** An authenticated caller: what every scoped resolver works with. */
export type UserPrincipal = Extract<Principal, { kind: 'user' }>;

/** Header that carries the gateway-signed principal to the subgraphs. */
export const PRINCIPAL_HEADER = 'x-umt-principal';

const ALGORITHM = 'HS256';

interface Claims {
  kind?: unknown;
  sub?: unknown;
  org?: unknown;
  roles?: unknown;
}

function toPrincipal(claims: Claims): Principal {
  if (claims.kind === 'anonymous') return { kind: 'anonymous' };
  const roles = Array.isArray(claims.roles) ? claims.roles.filter((r): r is Role => ROLES.includes(r as Role)) : [];
  if (typeof claims.sub !== 'string' || typeof claims.org !== 'string') throw new Error('malformed principal claims');
  return { kind: 'user', userId: claims.sub, orgId: claims.org, roles };
}

function fromPrincipal(principal: Principal): Record<string, unknown> {
  return principal.kind === 'anonymous'
    ? { kind: 'anonymous' }
    : { kind: 'user', sub: principal.userId, org: principal.orgId, roles: principal.roles };
}

export interface TokenCodec {
  sign(principal: Principal): string;
  /** Returns the principal, or throws when the token is malformed, tampered with, expired or meant for someone else. */
  verify(token: string): Principal;
}

/**
 * One HMAC-signed JWT format, used twice: user access tokens (auth → client → gateway) and
 * principals (gateway → subgraphs). Issuer and audience keep one from being replayed as the other.
 */
export function createTokenCodec(options: { secret: string; ttlSeconds: number; issuer: string; audience: string }): TokenCodec {
  const signer = createSigner({
    key: options.secret,
    algorithm: ALGORITHM,
    expiresIn: options.ttlSeconds * 1000,
    iss: options.issuer,
    aud: options.audience,
  });
  const verifier = createVerifier({
    key: options.secret,
    algorithms: [ALGORITHM],
    allowedIss: options.issuer,
    allowedAud: options.audience,
    requiredClaims: ['exp', 'iss', 'aud'],
  });
  return {
    sign: (principal) => signer(fromPrincipal(principal)),
    verify: (token) => toPrincipal(verifier(token) as Claims),
  };
}

/** Access tokens that the auth subgraph issues at login and the gateway accepts. */
export function accessTokenCodec(secret: string, ttlSeconds: number): TokenCodec {
  return createTokenCodec({ secret, ttlSeconds, issuer: 'umt-auth', audience: 'umt-gateway' });
}

/** Principals that the gateway signs for each request and the subgraphs require. */
export function principalCodec(secret: string, ttlSeconds: number): TokenCodec {
  return createTokenCodec({ secret, ttlSeconds, issuer: 'umt-gateway', audience: 'umt-subgraph' });
}
