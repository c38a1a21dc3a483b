import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { Kind, type DocumentNode } from 'graphql';
import { authorize, EVERY_ROLE, type AccessPolicies, type AccessPolicy } from './access';
import type { SubgraphContext } from './context';
import { SCOPES } from './identity';

const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);

type AnyResolver = (...args: unknown[]) => unknown;

/** Root fields a schema declares (Query.x, Mutation.y), federation's own excepted. */
function rootFields(typeDefs: DocumentNode): string[] {
  const found: string[] = [];
  for (const definition of typeDefs.definitions) {
    if (
      (definition.kind === Kind.OBJECT_TYPE_DEFINITION || definition.kind === Kind.OBJECT_TYPE_EXTENSION) &&
      ROOT_TYPES.has(definition.name.value)
    ) {
      for (const field of definition.fields ?? []) found.push(`${definition.name.value}.${field.name.value}`);
    }
  }
  return found;
}

function withPolicy(resolver: AnyResolver, policy: AccessPolicy, coordinate: string, contextIndex: number): AnyResolver {
  return function guarded(this: unknown, ...args: unknown[]) {
    const ctx = args[contextIndex] as SubgraphContext<unknown> | undefined;
    authorize(ctx?.principal ?? { kind: 'anonymous' }, policy, coordinate);
    return resolver.apply(this, args);
  };
}

/** Any caller acting within an organization may resolve an entity reference; the lookup itself scopes the rows. */
const TENANT_ONLY: AccessPolicy = { roles: EVERY_ROLE, scopes: [...SCOPES] };

/**
 * Applies the access policies: every root field must have one (a missing policy stops the service at start),
 * entity lookups need a caller within an organization, and any other field with a policy is guarded too.
 * Nested fields without one are reachable only through a guarded root field or entity lookup.
 */
export function applyPolicies(
  service: string,
  typeDefs: DocumentNode,
  resolvers: object,
  policies: AccessPolicies,
): GraphQLResolverMap<SubgraphContext<unknown>> {
  const missing = rootFields(typeDefs).filter((coordinate) => !policies[coordinate]);
  if (missing.length > 0) throw new Error(`${service}: no access policy for ${missing.join(', ')}`);

  const guarded: Record<string, Record<string, unknown>> = {};
  for (const [typeName, fields] of Object.entries(resolvers as Record<string, unknown>)) {
    // Scalars and enum value maps pass through untouched.
    guarded[typeName] =
      typeof fields === 'object' && fields !== null && fields.constructor === Object ? { ...(fields as Record<string, unknown>) } : (fields as Record<string, unknown>);
  }
  for (const [typeName, fields] of Object.entries(guarded)) {
    const reference = fields.__resolveReference;
    if (typeof reference === 'function') {
      const coordinate = `${typeName}.__resolveReference`;
      fields.__resolveReference = withPolicy(reference as AnyResolver, policies[coordinate] ?? TENANT_ONLY, coordinate, 1);
    }
  }
  for (const [coordinate, policy] of Object.entries(policies)) {
    const [typeName, fieldName] = coordinate.split('.') as [string, string];
    if (fieldName === '__resolveReference') continue;
    const fields = (guarded[typeName] ??= {});
    const resolver = fields[fieldName];
    const base: AnyResolver =
      typeof resolver === 'function' ? (resolver as AnyResolver) : (parent: unknown) => (parent as Record<string, unknown>)[fieldName];
    fields[fieldName] = withPolicy(base, policy, coordinate, 2);
  }
  return guarded as GraphQLResolverMap<SubgraphContext<unknown>>;
}
