import { graphError, unauthenticated } from './errors';
import { ROLES, type Principal, type Role, type Scope, type TenantPrincipal, type UserPrincipal } from './identity';
import type { SubgraphName } from './services';

/**
 * Who may call a root field, read a field that crosses domains or a sensitive field, or look up an entity. Users are
 * checked against `roles`, partner API keys against `scopes`; a key is refused where no scope is listed.
 */
export interface AccessPolicy {
  public?: boolean;
  roles?: readonly Role[];
  scopes?: readonly Scope[];
}

/**
 * Policies by field coordinate, e.g. { 'Mutation.createBrand': can.write(BRAND_EDITORS, 'brands:write') }; an entity
 * lookup is `<Type>.__resolveReference`.
 */
export type AccessPolicies = Record<string, AccessPolicy>;

/** The roles of the matrix in the README, named once. */
export const EVERY_ROLE: readonly Role[] = ROLES;
export const ADMINS: readonly Role[] = ['OWNER', 'ADMIN'];
export const BRAND_EDITORS: readonly Role[] = ['OWNER', 'ADMIN', 'BRAND_MANAGER'];
export const CONTENT_EDITORS: readonly Role[] = ['OWNER', 'ADMIN', 'BRAND_MANAGER', 'CONTENT_CREATOR'];

/**
 * Each subgraph's domain: the entities it owns (other subgraphs only add fields to them) and the scope an API key
 * needs to read its data. A field a subgraph adds to another's entity exposes the adding subgraph's data, and an
 * owner's entity lookup exposes the owner's: both need a policy (policy-guard.ts refuses to start without one), and
 * stack/test/cross-domain-access.test.ts walks every such field of the supergraph with and without the scope.
 */
export const DOMAINS: Record<SubgraphName, { readScope: Scope; entities: readonly string[] }> = {
  auth: { readScope: 'organization:read', entities: ['Organization', 'User'] },
  brand: { readScope: 'brands:read', entities: ['Brand', 'Project'] },
  strategy: { readScope: 'calendar:read', entities: ['CalendarEntry'] },
  creation: { readScope: 'content:read', entities: ['Content', 'GenerationJob'] },
  campaigns: { readScope: 'campaigns:read', entities: ['Publication'] },
};

/** The subgraph that owns an entity type, or undefined when DOMAINS names none. */
export function entityOwner(typeName: string): SubgraphName | undefined {
  return (Object.keys(DOMAINS) as SubgraphName[]).find((name) => DOMAINS[name].entities.includes(typeName));
}

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
