import { graphError, unauthenticated } from './errors';
import { ROLES, type Principal, type Role, type Scope, type TenantPrincipal, type UserPrincipal } from './identity';

/**
 * Who may call a root field or read a sensitive field. Users are checked against `roles`, partner API keys
 * against `scopes`; a key is refused where no scope is listed.
 */
export interface AccessPolicy {
  public?: boolean;
  roles?: readonly Role[];
  scopes?: readonly Scope[];
}

/** Policies by field coordinate, e.g. { 'Mutation.createBrand': can.write(BRAND_EDITORS, 'brands:write') }. */
export type AccessPolicies = Record<string, AccessPolicy>;

/** The roles of the matrix in the README, named once. */
export const EVERY_ROLE: readonly Role[] = ROLES;
export const ADMINS: readonly Role[] = ['OWNER', 'ADMIN'];
export const BRAND_EDITORS: readonly Role[] = ['OWNER', 'ADMIN', 'BRAND_MANAGER'];
export const CONTENT_EDITORS: readonly Role[] = ['OWNER', 'ADMIN', 'BRAND_MANAGER', 'CONTENT_CREATOR'];

export const can = {
  /** Anyone, including anonymous callers: register, login and the like. */
  anyone: (): AccessPolicy => ({ public: true }),
  /** Every member of the organization; API keys with `scope`. */
  read: (scope?: Scope): AccessPolicy => ({ roles: EVERY_ROLE, scopes: scope ? [scope] : [] }),
  /** Members with one of `roles`; API keys with `scope`. */
  write: (roles: readonly Role[], scope?: Scope): AccessPolicy => ({ roles, scopes: scope ? [scope] : [] }),
};

function roleList(roles: readonly Role[]): string {
  return roles.join(', ');
}

/** Throws UNAUTHENTICATED or FORBIDDEN unless `principal` satisfies `policy`. */
export function authorize(principal: Principal, policy: AccessPolicy, coordinate: string): void {
  if (policy.public) return;
  const field = coordinate.split('.').pop() ?? coordinate;
  switch (principal.kind) {
    case 'user':
      if (principal.roles.some((role) => policy.roles?.includes(role))) return;
      throw graphError('FORBIDDEN', `Your role (${roleList(principal.roles)}) may not use ${field}; it needs one of: ${roleList(policy.roles ?? [])}.`);
    case 'apiKey':
      if (policy.scopes?.some((scope) => principal.scopes.includes(scope))) return;
      throw graphError(
        'FORBIDDEN',
        policy.scopes?.length ? `This API key lacks the scope ${policy.scopes.join(' or ')} needed by ${field}.` : `API keys may not use ${field}.`,
      );
    default:
      throw unauthenticated();
  }
}

/** The caller acting within an organization; every query a resolver makes is scoped to `.orgId`. */
export function viewer(ctx: { principal: Principal }): TenantPrincipal {
  const { principal } = ctx;
  if (principal.kind === 'user' || principal.kind === 'apiKey') return principal;
  throw unauthenticated();
}

/** The calling user, for fields that only make sense for a person (me, changePassword). */
export function currentUser(ctx: { principal: Principal }): UserPrincipal {
  const principal = viewer(ctx);
  if (principal.kind === 'user') return principal;
  throw graphError('FORBIDDEN', 'This field is for users, not API keys.');
}

/** Who did something, for audit records. */
export function actorOf(principal: Principal): { actorType: 'user' | 'apiKey' | 'anonymous'; actorId: string | null } {
  if (principal.kind === 'user') return { actorType: 'user', actorId: principal.userId };
  if (principal.kind === 'apiKey') return { actorType: 'apiKey', actorId: principal.keyId };
  return { actorType: 'anonymous', actorId: null };
}
