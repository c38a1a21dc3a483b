import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openDatabaseHost, readCommonConfig, readsParentProperty, SUBGRAPHS, type CommonConfig, type DatabaseHost, type SubgraphHooks, type SubgraphName } from '@umt/infra';
import { createAuthSubgraph } from '@umt/subgraph-auth';
import { createBrandSubgraph } from '@umt/subgraph-brand';
import { createCampaignsSubgraph } from '@umt/subgraph-campaigns';
import { createCreationSubgraph } from '@umt/subgraph-creation';
import { createStrategySubgraph } from '@umt/subgraph-strategy';
import { isObjectType, type GraphQLSchema } from 'graphql';
import ts from 'typescript';
import { testEnv } from './support/stack';

/**
 * Every field of every subgraph resolves to something: it has a resolver, or the object its parent's resolver
 * returns has it as a property. That object's type is the generated `ResolversParentTypes[Type]` (codegen.yml's
 * mappers: creation's Project is a ProjectRef, just { id }), read here with the TypeScript compiler. TypeScript
 * checks the resolvers a subgraph writes, never the fields it leaves to the default resolver: those are this test's.
 */

const ROOT = join(__dirname, '..', '..');

const FACTORIES: Record<SubgraphName, (config: CommonConfig, hooks: SubgraphHooks) => { schema: GraphQLSchema; stop(): Promise<void> }> = {
  auth: createAuthSubgraph,
  brand: createBrandSubgraph,
  strategy: createStrategySubgraph,
  creation: createCreationSubgraph,
  campaigns: createCampaignsSubgraph,
};

const generatedFile = (name: SubgraphName) => join(ROOT, 'subgraphs', name, 'src', 'generated', 'graphql.ts');

/** Per subgraph, per GraphQL type: the TypeScript type its resolvers receive as parent, and that type's properties. */
function parentTypes(): Map<SubgraphName, Map<string, { text: string; properties: Set<string> }>> {
  const program = ts.createProgram(
    SUBGRAPHS.map(({ name }) => generatedFile(name)),
    {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.Node16,
      moduleResolution: ts.ModuleResolutionKind.Node16,
      types: ['node'],
    },
  );
  const checker = program.getTypeChecker();
  const result = new Map<SubgraphName, Map<string, { text: string; properties: Set<string> }>>();
  for (const { name } of SUBGRAPHS) {
    const source = program.getSourceFile(generatedFile(name));
    const alias = source?.statements.find((s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === 'ResolversParentTypes');
    if (!alias) throw new Error(`${generatedFile(name)} declares no ResolversParentTypes`);
    const parents = checker.getTypeAtLocation(alias.name);
    const byType = new Map<string, { text: string; properties: Set<string> }>();
    for (const symbol of checker.getPropertiesOfType(parents)) {
      const type = checker.getTypeOfSymbolAtLocation(symbol, alias);
      byType.set(symbol.getName(), {
        text: checker.typeToString(type),
        // Declared properties only: Query and Mutation are Record<PropertyKey, never>, whose index signature holds nothing.
        properties: new Set(checker.getPropertiesOfType(type).map((property) => property.getName())),
      });
    }
    result.set(name, byType);
  }
  return result;
}

describe('every schema field has a resolver or a parent property', () => {
  let host: DatabaseHost;
  const schemas = new Map<SubgraphName, GraphQLSchema>();
  let parents: ReturnType<typeof parentTypes>;

  beforeAll(async () => {
    const config = readCommonConfig(testEnv());
    // Never connected: the subgraphs are built, not started, so a pool that points nowhere costs nothing.
    host = openDatabaseHost({ url: 'postgres://unused@127.0.0.1:9/unused' });
    // Built, never started: the executable schema is all this test needs.
    for (const { name } of SUBGRAPHS) {
      const subgraph = FACTORIES[name](config, { databaseHost: host });
      schemas.set(name, subgraph.schema);
      await subgraph.stop();
    }
    parents = parentTypes();
  }, 120_000);
  afterAll(() => host?.close());

  it('reads the parent types and tells policy guards from resolvers', () => {
    expect(parents.get('creation')?.get('Project')?.properties).toEqual(new Set(['id']));
    expect(parents.get('auth')?.get('Query')?.properties).toEqual(new Set());
    // User.email has a policy but no resolver: the guard applyPolicies puts there reads the parent's property.
    const user = schemas.get('auth')?.getType('User');
    expect(isObjectType(user) && readsParentProperty(user.getFields().email?.resolve)).toBe(true);
  });

  it.each(SUBGRAPHS.map(({ name }) => name))('%s', (name) => {
    const schema = schemas.get(name)!;
    const byType = parents.get(name)!;
    const unresolved: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      // Introspection and federation's own types (_Service, _Entity) resolve themselves.
      if (!isObjectType(type) || type.name.startsWith('_')) continue;
      const parent = byType.get(type.name);
      for (const field of Object.values(type.getFields())) {
        if (field.resolve && !readsParentProperty(field.resolve)) continue;
        if (!parent) unresolved.push(`${type.name}.${field.name}: no resolver, and ResolversParentTypes has no ${type.name}`);
        else if (!parent.properties.has(field.name)) unresolved.push(`${type.name}.${field.name}: no resolver, and its parent (${parent.text}) has no ${field.name}`);
      }
    }
    expect(unresolved).toEqual([]);
  });
});
