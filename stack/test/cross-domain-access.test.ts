import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DOMAINS, entityOwner, ROLES, SCOPES, type Scope, type SubgraphName } from '@umt/infra';
import { errorCodes, gql, gqlOk, teamWithEveryRole, waitFor, type GraphQLResponse, type Team } from '@umt/test-support';
import { Kind, parse, type ConstDirectiveNode, type TypeNode } from 'graphql';
import type { Stack } from '../src/index';
import { startTestStack } from './support/stack';

/**
 * Scopes cover nested fields, not only root fields. Every field through which one domain's data is reached from
 * another is derived from the supergraph's @join annotations, so a field added later is walked too:
 * - a field a subgraph adds to another subgraph's entity (Brand.calendar from strategy) needs the adding
 *   subgraph's read scope;
 * - an entity reached through a reference from another subgraph (CalendarEntry.brand { name }) needs its owner's
 *   read scope for the owner's fields.
 * Each is reached from a root query, with a key holding every scope but the one it needs (refused, nothing shown),
 * a key holding just the scopes of the path and that one (the data), and a user of every role (the data).
 */

const ROOT = join(__dirname, '..', '..');
const FUTURE = new Date(Date.now() + 7 * 86_400_000).toISOString();

interface Field {
  name: string;
  type: string;
  /** The subgraphs that resolve it (all of its type's when the supergraph names none). */
  graphs: SubgraphName[];
  /** Whether @join__field names its subgraph: false for key fields and fields of one-subgraph types. */
  annotated: boolean;
  requiredArgs: string[];
}

interface ObjectType {
  graphs: SubgraphName[];
  entity: boolean;
  fields: Map<string, Field>;
}

function namedType(type: TypeNode): string {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type);
}

function graphArgument(directive: ConstDirectiveNode, graphs: Map<string, SubgraphName>): SubgraphName | undefined {
  const value = directive.arguments?.find((a) => a.name.value === 'graph')?.value;
  return value?.kind === Kind.ENUM ? graphs.get(value.value) : undefined;
}

/** The object types of the supergraph with the subgraphs that resolve each field. */
function readSupergraph(): Map<string, ObjectType> {
  const document = parse(readFileSync(join(ROOT, 'schema', 'supergraph.graphql'), 'utf8'));
  const graphs = new Map<string, SubgraphName>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION || definition.name.value !== 'join__Graph') continue;
    for (const value of definition.values ?? []) {
      const name = value.directives?.find((d) => d.name.value === 'join__graph')?.arguments?.find((a) => a.name.value === 'name')?.value;
      if (name?.kind === Kind.STRING) graphs.set(value.name.value, name.value as SubgraphName);
    }
  }
  const types = new Map<string, ObjectType>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION) continue;
    const joins = (definition.directives ?? []).filter((d) => d.name.value === 'join__type');
    const typeGraphs = joins.map((d) => graphArgument(d, graphs)).filter((g): g is SubgraphName => g !== undefined);
    const fields = new Map<string, Field>();
    for (const field of definition.fields ?? []) {
      const fieldGraphs = (field.directives ?? [])
        .filter((d) => d.name.value === 'join__field')
        .map((d) => graphArgument(d, graphs))
        .filter((g): g is SubgraphName => g !== undefined);
      fields.set(field.name.value, {
        name: field.name.value,
        type: namedType(field.type),
        graphs: fieldGraphs.length > 0 ? fieldGraphs : typeGraphs,
        annotated: fieldGraphs.length > 0,
        requiredArgs: (field.arguments ?? []).filter((a) => a.type.kind === Kind.NON_NULL_TYPE && !a.defaultValue).map((a) => a.name.value),
      });
    }
    types.set(definition.name.value, {
      graphs: typeGraphs,
      entity: joins.some((d) => d.arguments?.some((a) => a.name.value === 'key')),
      fields,
    });
  }
  return types;
}

const TYPES = readSupergraph();
const readScope = (graph: SubgraphName): Scope => DOMAINS[graph].readScope;

/** A selection of what `graph` resolves of `typeName`: its leaves, and the value types and own entities below, a few levels deep. */
function selection(typeName: string, graph: SubgraphName, depth = 0): string {
  const type = TYPES.get(typeName);
  if (!type) return '';
  const parts: string[] = [];
  for (const field of type.fields.values()) {
    if (!field.graphs.includes(graph) || field.requiredArgs.length > 0) continue;
    const below = TYPES.get(field.type);
    if (!below) parts.push(field.name);
    else if (depth < 2 && (!below.entity || entityOwner(field.type) === graph)) {
      const inner = selection(field.type, graph, depth + 1);
      if (inner) parts.push(`${field.name} { ${inner} }`);
    }
  }
  return parts.join(' ');
}

interface Probe {
  label: string;
  /** The type whose field is probed, reached from a root query. */
  parent: string;
  field: string;
  /** The scope the field's data needs. */
  scope: Scope;
  selection: string;
}

/** Every field that exposes one domain's data through another's type, as the supergraph declares them. */
function crossDomainProbes(): { probes: Probe[]; unowned: string[] } {
  const probes: Probe[] = [];
  const unowned: string[] = [];
  for (const [typeName, type] of TYPES) {
    const owner = type.entity ? entityOwner(typeName) : undefined;
    if (type.entity && !owner) unowned.push(typeName);
    for (const field of type.fields.values()) {
      if (typeName === 'Mutation' || field.graphs.length !== 1) continue;
      const [graph] = field.graphs as [SubgraphName];
      // Added by another subgraph to this entity.
      if (owner && field.annotated && graph !== owner) {
        probes.push({ label: `${typeName}.${field.name} (added by ${graph})`, parent: typeName, field: field.name, scope: readScope(graph), selection: selection(field.type, graph) });
      }
      // A reference to another subgraph's entity: the owner's own fields behind it.
      const target = TYPES.get(field.type);
      const targetOwner = target?.entity ? entityOwner(field.type) : undefined;
      if (target && targetOwner && targetOwner !== graph) {
        const ownFields = [...target.fields.values()].filter((f) => f.annotated && f.graphs.includes(targetOwner) && !TYPES.has(f.type) && f.requiredArgs.length === 0);
        probes.push({
          label: `${typeName}.${field.name} → ${field.type} (owned by ${targetOwner})`,
          parent: typeName,
          field: field.name,
          scope: readScope(targetOwner),
          selection: ownFields.map((f) => f.name).join(' '),
        });
      }
    }
  }
  return { probes, unowned };
}

const { probes: PROBES, unowned: UNOWNED } = crossDomainProbes();

interface Step {
  field: string;
  args: string;
  graph: SubgraphName;
}

/** The values at the end of a path of field names in a response, lists flattened. */
function valuesAt(data: unknown, path: string[]): unknown[] {
  const flat = (values: unknown[]): unknown[] => values.flatMap((value): unknown[] => (Array.isArray(value) ? (value as unknown[]) : [value]));
  let level: unknown[] = [data];
  for (const name of path) {
    level = flat(level)
      .filter((value): value is Record<string, unknown> => typeof value === 'object' && value !== null)
      .map((value) => value[name]);
  }
  return flat(level);
}

/** Present and, for a connection, with nodes. */
function hasData(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  const nodes = (value as { nodes?: unknown }).nodes;
  return !Array.isArray(nodes) || nodes.length > 0;
}

describe('API key scopes cover every field that crosses domains', () => {
  let stack: Stack;
  let team: Team;
  /** An id per entity type a root field looks up by id. */
  const fixtures: Record<string, string> = {};
  /** Root query fields a key with every scope may use: where paths start. */
  const roots: Step[] = [];
  const keys = new Map<string, string>();

  async function keyWith(scopes: Scope[]): Promise<string> {
    const id = [...new Set(scopes)].sort().join(' ');
    let key = keys.get(id);
    if (!key) {
      const created = await gqlOk<{ createApiKey: { key: string } }>(
        stack.url,
        `mutation ($i: CreateApiKeyInput!) { createApiKey(input: $i) { key } }`,
        { i: { name: `scopes ${id}`.slice(0, 100), scopes: id.split(' ') } },
        team.tokens.OWNER,
      );
      key = created.createApiKey.key;
      keys.set(id, key);
    }
    return key;
  }

  async function withKey(key: string, query: string): Promise<GraphQLResponse> {
    const response = await fetch(stack.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': key },
      body: JSON.stringify({ query }),
    });
    return { status: response.status, ...((await response.json()) as Omit<GraphQLResponse, 'status'>) };
  }

  /** Arguments for a field: none, or a fixture id when all it requires is the id of an entity the test made. */
  function argumentsFor(field: Field): string | undefined {
    if (field.requiredArgs.length === 0) return '';
    if (field.requiredArgs.length === 1 && field.requiredArgs[0] === 'id' && fixtures[field.type]) return `(id: "${fixtures[field.type]}")`;
    return undefined;
  }

  /** The shortest path from a usable root field to `target` that needs no `avoid` scope on the way. */
  function pathTo(target: string, avoid: Scope): Step[] | undefined {
    if (target === 'Query') return [];
    const queue: { type: string; steps: Step[] }[] = roots
      .filter((root) => readScope(root.graph) !== avoid)
      .map((root) => ({ type: TYPES.get('Query')!.fields.get(root.field)!.type, steps: [root] }));
    const seen = new Set(queue.map((entry) => entry.type));
    while (queue.length > 0) {
      const { type, steps } = queue.shift()!;
      if (type === target) return steps;
      if (steps.length >= 4) continue;
      for (const field of TYPES.get(type)?.fields.values() ?? []) {
        const args = argumentsFor(field);
        if (!TYPES.has(field.type) || seen.has(field.type) || args === undefined || field.graphs.length !== 1) continue;
        const [graph] = field.graphs as [SubgraphName];
        if (readScope(graph) === avoid) continue;
        seen.add(field.type);
        queue.push({ type: field.type, steps: [...steps, { field: field.name, args, graph }] });
      }
    }
    return undefined;
  }

  function queryFor(steps: Step[], probe: Probe): string {
    let inner = `${probe.field}${probe.selection ? ` { ${probe.selection} }` : ''}`;
    for (const step of [...steps].reverse()) inner = `${step.field}${step.args} { ${inner} }`;
    return `{ ${inner} }`;
  }

  beforeAll(async () => {
    stack = await startTestStack({ env: { PERSISTED_QUERIES_PARTNERS: 'any', RATE_LIMIT_MAX: '10000' } });
    team = await teamWithEveryRole(stack.url, 'Cross Domain Inc');
    const owner = team.tokens.OWNER;
    const brand = await gqlOk<{ createBrand: { id: string } }>(stack.url, `mutation { createBrand(input: { name: "Cross", website: "https://cross.test", industry: "Coffee", voice: "Warm" }) { id } }`, {}, owner);
    fixtures.Brand = brand.createBrand.id;
    const project = await gqlOk<{ createProject: { id: string } }>(
      stack.url,
      `mutation ($b: ID!, $at: DateTime!) { createProject(input: { brandId: $b, name: "Launch", type: EMAIL, dueAt: $at }) { id } }`,
      { b: fixtures.Brand, at: FUTURE },
      owner,
    );
    fixtures.Project = project.createProject.id;
    const entry = await gqlOk<{ planCalendarEntry: { id: string } }>(
      stack.url,
      `mutation ($b: ID!, $at: DateTime!) { planCalendarEntry(input: { brandId: $b, channel: EMAIL, title: "Slot", notes: "N", scheduledAt: $at }) { id } }`,
      { b: fixtures.Brand, at: FUTURE },
      owner,
    );
    fixtures.CalendarEntry = entry.planCalendarEntry.id;
    const content = await gqlOk<{ createContent: { id: string } }>(
      stack.url,
      `mutation ($p: ID!) { createContent(input: { projectId: $p, channel: EMAIL, title: "Hello", body: "Body" }) { id } }`,
      { p: fixtures.Project },
      owner,
    );
    fixtures.Content = content.createContent.id;
    const publication = await gqlOk<{ schedulePublication: { id: string } }>(
      stack.url,
      `mutation ($c: ID!, $at: DateTime!) { schedulePublication(input: { contentId: $c, channel: EMAIL, scheduledAt: $at }) { id } }`,
      { c: fixtures.Content, at: FUTURE },
      owner,
    );
    fixtures.Publication = publication.schedulePublication.id;
    // Planning and brief are made by event consumers: wait for them, so that every field has data to show.
    await waitFor('the brand planning and the project brief', async () => {
      const made = await gqlOk<{ brand: { planning: unknown }; project: { brief: unknown } }>(
        stack.url,
        `query ($b: ID!, $p: ID!) { brand(id: $b) { planning { preparedAt } } project(id: $p) { brief { openedAt } } }`,
        { b: fixtures.Brand, p: fixtures.Project },
        owner,
      );
      return made.brand.planning !== null && made.project.brief !== null;
    }, 15_000, 50);

    // Where a partner can start: root queries a key with every scope may call (not me, the admin lists, ...).
    const everything = await keyWith([...SCOPES]);
    for (const field of TYPES.get('Query')!.fields.values()) {
      const args = argumentsFor(field);
      if (!TYPES.has(field.type) || args === undefined || field.graphs.length !== 1) continue;
      const answer = await withKey(everything, `{ ${field.name}${args} { __typename } }`);
      if (errorCodes(answer).length === 0) roots.push({ field: field.name, args, graph: field.graphs[0]! });
    }
  });
  afterAll(() => stack?.stop());

  it('finds them in the supergraph, every entity having an owner in DOMAINS', () => {
    expect(UNOWNED).toEqual([]);
    const labels = PROBES.map((probe) => `${probe.parent}.${probe.field}`);
    expect(labels).toEqual(
      expect.arrayContaining([
        'Organization.brands',
        'Brand.organization',
        'Brand.planning',
        'Brand.calendar',
        'CalendarEntry.brand',
        'Project.brief',
        'Project.contents',
        'Content.project',
        'Content.publications',
        'Publication.content',
      ]),
    );
    expect(roots.map((root) => root.field)).toEqual(expect.arrayContaining(['organization', 'brand', 'calendarEntry', 'content', 'publication']));
  });

  it.each(PROBES.map((probe) => [probe.label, probe] as const))('%s', async (_label, probe) => {
    const steps = pathTo(probe.parent, probe.scope);
    expect({ probe: probe.label, reachable: steps !== undefined }).toEqual({ probe: probe.label, reachable: true });
    const query = queryFor(steps!, probe);
    const path = [...steps!.map((step) => step.field), probe.field];
    const pathScopes = steps!.map((step) => readScope(step.graph));

    const refused = await withKey(await keyWith(SCOPES.filter((scope) => scope !== probe.scope)), query);
    const codes = errorCodes(refused);
    expect({ query, lacking: probe.scope, refused: codes.length > 0 && codes.every((code) => code === 'FORBIDDEN') }).toEqual({ query, lacking: probe.scope, refused: true });
    expect({ query, shown: valuesAt(refused.data, path).filter((value) => value !== null && value !== undefined) }).toEqual({ query, shown: [] });

    const allowed = await withKey(await keyWith([...pathScopes, probe.scope]), query);
    expect({ query, errors: allowed.errors ?? [] }).toEqual({ query, errors: [] });
    expect({ query, data: valuesAt(allowed.data, path).every(hasData) && valuesAt(allowed.data, path).length > 0 }).toEqual({ query, data: true });

    for (const role of ROLES) {
      const asUser = await gql(stack.url, query, {}, team.tokens[role]);
      expect({ role, query, errors: asUser.errors ?? [] }).toEqual({ role, query, errors: [] });
      expect(asUser.data).toEqual(allowed.data);
    }
  });

  it('the safelisted PartnerBrandCalendar shows the calendar only with calendar:read', async () => {
    const operation = readFileSync(join(ROOT, 'schema', 'operations', 'PartnerBrandCalendar.graphql'), 'utf8');
    const send = async (scopes: Scope[]) => {
      const response = await fetch(stack.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': await keyWith(scopes) },
        body: JSON.stringify({ query: operation, variables: { brandId: fixtures.Brand } }),
      });
      return (await response.json()) as Omit<GraphQLResponse<{ brand: { calendar: { nodes: unknown[] } } | null }>, 'status'>;
    };
    const brandsOnly = await send(['brands:read']);
    expect({ codes: errorCodes({ status: 200, ...brandsOnly }), brand: brandsOnly.data?.brand ?? null }).toEqual({ codes: ['FORBIDDEN'], brand: null });
    const both = await send(['brands:read', 'calendar:read']);
    expect(both.errors ?? []).toEqual([]);
    expect(both.data?.brand?.calendar.nodes).toHaveLength(1);
  });
});
