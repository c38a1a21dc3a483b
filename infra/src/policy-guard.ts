import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { Kind, type DirectiveNode, type DocumentNode } from 'graphql';
import { authorize, entityOwner, EVERY_ROLE, type AccessPolicies, type AccessPolicy } from './access';
import type { SubgraphContext } from './context';
import { SCOPES } from './identity';

const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);

type AnyResolver = (...args: unknown[]) => unknown;

interface ObjectType {
  fields: string[];
  /** The fields of its @key (undefined when it is no entity). */
  keyFields?: Set<string>;
}

/** Object types a schema declares, definitions and extensions merged, with their fields and @key fields. */
function objectTypes(typeDefs: DocumentNode): Map<string, ObjectType> {
  const types = new Map<string, ObjectType>();
  for (const definition of typeDefs.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    let type = types.get(definition.name.value);
    if (!type) types.set(definition.name.value, (type = { fields: [] }));
    type.fields.push(...(definition.fields ?? []).map((field) => field.name.value));
    for (const key of (definition.directives ?? []).filter(isKey)) {
      type.keyFields ??= new Set();
      for (const name of keyFieldNames(key)) type.keyFields.add(name);
    }
  }
  return types;
}

function isKey(directive: DirectiveNode): boolean {
  return directive.name.value === 'key' || directive.name.value === 'federation__key';
}

/** The names in a @key's field set ("id", "id sku", "id organization { id }": nested selections count as their parent). */
function keyFieldNames(key: DirectiveNode): string[] {
  const argument = key.arguments?.find((a) => a.name.value === 'fields');
  if (argument?.value.kind !== Kind.STRING) return [];
  return argument.value.value.replace(/\{[^}]*\}/g, ' ').split(/\s+/).filter(Boolean);
}

/**
 * Coordinates that must have a policy: every root field; for an entity this subgraph owns, its lookup
 * (`Type.__resolveReference`, which hands the owner's data to whichever subgraph referenced it); for an entity
 * another subgraph owns, every field added here (each exposes this subgraph's data under the owner's type).
 * Throws for an entity that DOMAINS gives no owner, so that the registry stays complete.
 */
export function requiredPolicies(service: string, typeDefs: DocumentNode): string[] {
  const required: string[] = [];
  for (const [typeName, type] of objectTypes(typeDefs)) {
    if (ROOT_TYPES.has(typeName)) {
      required.push(...type.fields.map((field) => `${typeName}.${field}`));
    } else if (type.keyFields) {
      const owner = entityOwner(typeName);
      if (!owner) throw new Error(`${service}: entity ${typeName} has no owner in DOMAINS (infra/src/access.ts)`);
      if (owner === service) required.push(`${typeName}.__resolveReference`);
      else required.push(...type.fields.filter((field) => !type.keyFields?.has(field)).map((field) => `${typeName}.${field}`));
    }
  }
  return required;
}

/** Resolvers that only read the parent's property behind a policy: for tools that tell real resolvers apart. */
const propertyReaders = new WeakSet<object>();

/** True when `resolve` is a guard that applyPolicies put on a field without a resolver of its own. */
export function readsParentProperty(resolve: unknown): boolean {
  return typeof resolve === 'function' && propertyReaders.has(resolve);
}

function withPolicy(resolver: AnyResolver, policy: AccessPolicy, coordinate: string, contextIndex: number): AnyResolver {
  return function guarded(this: unknown, ...args: unknown[]) {
    const ctx = args[contextIndex] as SubgraphContext<unknown> | undefined;
    authorize(ctx?.principal ?? { kind: 'anonymous' }, policy, coordinate);
    return resolver.apply(this, args);
  };
}

/**
 * A lookup of an entity another subgraph owns yields only the key the gateway sent; each field this subgraph adds
 * has its own policy. So any caller within an organization may make one.
 */
const TENANT_ONLY: AccessPolicy = { roles: EVERY_ROLE, scopes: [...SCOPES] };

/** Federation's default lookup when a subgraph declares none: the representation itself. */
const representation: AnyResolver = (reference) => reference;

/**
 * Applies the access policies. Every coordinate of requiredPolicies must have one (a missing policy stops the
 * service at start, naming it); entity lookups of other subgraphs' entities need a caller within an organization;
 * any other field with a policy is guarded too. Other nested fields are reachable only through a guarded root
 * field, entity lookup or cross-domain field.
 */
export function applyPolicies(
  service: string,
  typeDefs: DocumentNode,
  resolvers: object,
  policies: AccessPolicies,
): GraphQLResolverMap<SubgraphContext<unknown>> {
  const missing = requiredPolicies(service, typeDefs).filter((coordinate) => !policies[coordinate]);
  if (missing.length > 0) throw new Error(`${service}: no access policy for ${missing.join(', ')}`);

  const guarded: Record<string, Record<string, unknown>> = {};
  for (const [typeName, fields] of Object.entries(resolvers as Record<string, unknown>)) {
    // Scalars and enum value maps pass through untouched.
    guarded[typeName] =
      typeof fields === 'object' && fields !== null && fields.constructor === Object ? { ...(fields as Record<string, unknown>) } : (fields as Record<string, unknown>);
  }
  for (const [typeName, type] of objectTypes(typeDefs)) {
    if (!type.keyFields) continue;
    const coordinate = `${typeName}.__resolveReference`;
    const fields = (guarded[typeName] ??= {});
    const reference = typeof fields.__resolveReference === 'function' ? (fields.__resolveReference as AnyResolver) : representation;
    fields.__resolveReference = withPolicy(reference, policies[coordinate] ?? TENANT_ONLY, coordinate, 1);
  }
  for (const [coordinate, policy] of Object.entries(policies)) {
    const [typeName, fieldName] = coordinate.split('.') as [string, string];
    if (fieldName === '__resolveReference') continue;
    const fields = (guarded[typeName] ??= {});
    const resolver = fields[fieldName];
    if (typeof resolver === 'function') {
      fields[fieldName] = withPolicy(resolver as AnyResolver, policy, coordinate, 2);
    } else {
      const readProperty = withPolicy((parent: unknown) => (parent as Record<string, unknown>)[fieldName], policy, coordinate, 2);
      propertyReaders.add(readProperty);
      fields[fieldName] = readProperty;
    }
  }
  return guarded as GraphQLResolverMap<SubgraphContext<unknown>>;
}
