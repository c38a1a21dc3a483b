import { createHash, randomUUID } from 'node:crypto';
import { createDecoder, createSigner, createVerifier, type DecodedJwt } from 'fast-jwt';

export const ROLES = ['OWNER', 'ADMIN', 'BRAND_MANAGER', 'CONTENT_CREATOR', 'VIEWER'] as const;
export type Role = (typeof ROLES)[number];

/** What a partner API key may be granted; each guards the matching reads or writes. */
export const SCOPES = [
  'organization:read',
  'brands:read',
  'brands:write',
  'calendar:read',
  'calendar:write',
  'content:read',
  'content:write',
  'campaigns:read',
  'campaigns:write',
] as const;
export type Scope = (typeof SCOPES)[number];

/** Who is calling, as established by the gateway. `address` is the client's IP as the gateway saw it. */
export type Principal =
  | { kind: 'anonymous'; address?: string }
  | { kind: 'user'; userId: string; orgId: string; roles: Role[]; sessionId?: string; address?: string }
  | { kind: 'apiKey'; keyId: string; orgId: string; scopes: Scope[]; address?: string }
  /** The gateway itself, for the few internal calls it makes (API key checks). */
  | { kind: 'gateway' };

export type UserPrincipal = Extract<Principal, { kind: 'user' }>;
export type ApiKeyPrincipal = Extract<Principal, { kind: 'apiKey' }>;
/** A caller that acts within one organization: a user or a partner API key. */
export type TenantPrincipal = UserPrincipal | ApiKeyPrincipal;

/** Header that carries the gateway-signed principal to the subgraphs. */
export const PRINCIPAL_HEADER = 'x-umt-principal';

const ALGORITHM = 'HS256';

type Claims = Record<string, unknown>;

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
const optional = (key: string, value: unknown) => (typeof value === 'string' ? { [key]: value } : {});

function toPrincipal(claims: Claims): Principal {
  switch (claims.kind) {
    case 'anonymous':
      return { kind: 'anonymous', ...optional('address', claims.ip) };
    case 'gateway':
      return { kind: 'gateway' };
    case 'user':
      if (typeof claims.sub !== 'string' || typeof claims.org !== 'string') break;
      return {
        kind: 'user',
        userId: claims.sub,
        orgId: claims.org,
        roles: strings(claims.roles).filter((r): r is Role => (ROLES as readonly string[]).includes(r)),
        ...optional('sessionId', claims.sid),
        ...optional('address', claims.ip),
      };
    case 'apiKey':
      if (typeof claims.sub !== 'string' || typeof claims.org !== 'string') break;
      return {
        kind: 'apiKey',
        keyId: claims.sub,
        orgId: claims.org,
        scopes: strings(claims.scopes).filter((s): s is Scope => (SCOPES as readonly string[]).includes(s)),
        ...optional('address', claims.ip),
      };
    default:
      break;
  }
  throw new Error('malformed principal claims');
}

function fromPrincipal(principal: Principal): Claims {
  switch (principal.kind) {
    case 'anonymous':
      return { kind: 'anonymous', ip: principal.address };
    case 'gateway':
      return { kind: 'gateway' };
    case 'user':
      return { kind: 'user', sub: principal.userId, org: principal.orgId, roles: principal.roles, sid: principal.sessionId, ip: principal.address };
    case 'apiKey':
      return { kind: 'apiKey', sub: principal.keyId, org: principal.orgId, scopes: principal.scopes, ip: principal.address };
  }
}

export interface TokenCodec {
  sign(principal: Principal): string;
  /** Returns the principal, or throws when the token is malformed, tampered with, expired or meant for someone else. */
  verify(token: string): Principal;
}

/** Names a secret without revealing it, so a verifier can pick the right one of several during a rotation. */
export function keyId(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url').slice(0, 10);
}

export interface TokenCodecOptions {
  /** Signs new tokens. */
  secret: string;
  /** Older secrets still accepted while a rotation is rolled out; never used to sign. */
  acceptedSecrets?: string[];
  ttlSeconds: number;
  issuer: string;
  audience: string;
}

/**
 * One HMAC-signed JWT format, used twice: user access tokens (auth → client → gateway) and
 * principals (gateway → subgraphs). Issuer and audience keep one from being replayed as the other; the
 * `kid` header names which configured secret signed a token, so secrets can be rotated without downtime.
 */
export function createTokenCodec(options: TokenCodecOptions): TokenCodec {
  const signingKid = keyId(options.secret);
  const signer = createSigner({
    key: options.secret,
    algorithm: ALGORITHM,
    expiresIn: options.ttlSeconds * 1000,
    iss: options.issuer,
    aud: options.audience,
    kid: signingKid,
  });
  const verifiers = new Map(
    [options.secret, ...(options.acceptedSecrets ?? [])].map((secret) => [
      keyId(secret),
      createVerifier({
        key: secret,
        algorithms: [ALGORITHM],
        allowedIss: options.issuer,
        allowedAud: options.audience,
        requiredClaims: ['exp', 'iss', 'aud'],
      }),
    ]),
  );
  const decodeHeader = createDecoder({ complete: true });
  return {
    // A unique id per token: two tokens for the same claims in the same second still differ.
    sign: (principal) => signer({ ...fromPrincipal(principal), jti: randomUUID() }),
    verify: (token) => {
      const { header } = decodeHeader(token) as DecodedJwt;
      const verifier = verifiers.get(String(header.kid));
      if (!verifier) throw new Error('token signed with an unknown key');
      return toPrincipal(verifier(token) as Claims);
    },
  };
}

export interface SecretSet {
  secret: string;
  acceptedSecrets: string[];
}

/** Access tokens that the auth subgraph issues at login and the gateway accepts. */
export function accessTokenCodec(keys: SecretSet, ttlSeconds: number): TokenCodec {
  return createTokenCodec({ ...keys, ttlSeconds, issuer: 'umt-auth', audience: 'umt-gateway' });
}

/** The audience of the principals meant for one subgraph. */
export function principalAudience(subgraph: string): string {
  return `umt-subgraph:${subgraph}`;
}

/**
 * Principals that the gateway signs for each request and the subgraphs require. Each is signed for one subgraph
 * (its audience), so a principal captured at one subgraph is refused by every other.
 */
export function principalCodec(keys: SecretSet, ttlSeconds: number, subgraph: string): TokenCodec {
  return createTokenCodec({ ...keys, ttlSeconds, issuer: 'umt-gateway', audience: principalAudience(subgraph) });
}
