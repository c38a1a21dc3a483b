import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { Kind, parse, type DocumentNode } from 'graphql';
import { CHANNELS, checkSharedEnums, createSubgraph, openDatabaseHost, readCommonConfig, SHARED_ENUMS, SUBGRAPHS, subgraphSdl } from '../src/index';

const ROOT = join(__dirname, '..', '..');
const schemaFile = (name: string) => join(ROOT, 'subgraphs', name, 'src', 'schema.graphql');

function definedTypes(document: DocumentNode): string[] {
  return document.definitions.flatMap((d) => ('name' in d && d.name ? [d.name.value] : []));
}

function enumValues(document: DocumentNode, name: string): string[] | undefined {
  const definition = document.definitions.find((d) => d.kind === Kind.ENUM_TYPE_DEFINITION && d.name.value === name);
  return definition?.kind === Kind.ENUM_TYPE_DEFINITION ? (definition.values ?? []).map((v) => v.name.value) : undefined;
}

describe('SDL shared between subgraphs', () => {
  it('writes the dead-letter types once, in infra, and gives them to every subgraph that includes them', () => {
    const shared = definedTypes(parse(readFileSync(join(ROOT, 'infra', 'src', 'dead-letters.graphql'), 'utf8')));
    expect(shared).toEqual(expect.arrayContaining(['DeadLetter', 'DeadLetterConnection', 'DeadLetterStatus', 'DeadLetterReplay', 'DeadLetterReplaySummary']));
    const including: string[] = [];
    for (const { name } of SUBGRAPHS) {
      const own = readFileSync(schemaFile(name), 'utf8');
      // No copy of a shared type in a subgraph's own file.
      expect({ name, copied: definedTypes(parse(own)).filter((type) => shared.includes(type)) }).toEqual({ name, copied: [] });
      const full = definedTypes(parse(subgraphSdl(schemaFile(name))));
      if (/^# include dead-letters$/m.test(own)) {
        including.push(name);
        expect({ name, missing: shared.filter((type) => !full.includes(type)) }).toEqual({ name, missing: [] });
      }
    }
    expect(including).toEqual(expect.arrayContaining(['strategy', 'creation']));
  });

  it('refuses an include that names no shared file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'umt-sdl-')), 'schema.graphql');
    writeFileSync(file, '# include ../../secrets\ntype Query { a: String }\n');
    expect(() => subgraphSdl(file)).toThrow(/names no shared SDL file/);
    writeFileSync(file, '# include nothing-like-this\ntype Query { a: String }\n');
    expect(() => subgraphSdl(file)).toThrow(/names no shared SDL file/);
  });

  it("every subgraph's enum Channel, and the supergraph's, lists exactly infra's CHANNELS", () => {
    expect(SHARED_ENUMS.Channel).toBe(CHANNELS);
    const declaring: string[] = [];
    for (const { name } of SUBGRAPHS) {
      const document = parse(subgraphSdl(schemaFile(name)));
      expect(() => checkSharedEnums(name, document)).not.toThrow();
      for (const [enumName, values] of Object.entries(SHARED_ENUMS)) {
        const declared = enumValues(document, enumName);
        if (declared) {
          declaring.push(name);
          expect({ name, enumName, declared }).toEqual({ name, enumName, declared: [...values] });
        }
      }
    }
    expect(declaring).toEqual(expect.arrayContaining(['strategy', 'creation', 'campaigns']));
    const supergraph = parse(readFileSync(join(ROOT, 'schema', 'supergraph.graphql'), 'utf8'));
    expect(enumValues(supergraph, 'Channel')).toEqual([...CHANNELS]);
  });

  it('refuses at start a shared enum that differs from the registry, naming the subgraph and the enum', () => {
    const missing = parse('enum Channel { BLOG EMAIL }');
    expect(() => checkSharedEnums('creation', missing)).toThrow(/^creation: enum Channel lists BLOG, EMAIL where infra lists BLOG, EMAIL, LINKEDIN/);
    const reordered = parse(`enum Channel { ${[...CHANNELS].reverse().join(' ')} }`);
    expect(() => checkSharedEnums('campaigns', reordered)).toThrow(/^campaigns: enum Channel/);
    const extended = parse(`enum Channel { ${CHANNELS.join(' ')} } extend enum Channel { PINTEREST }`);
    expect(() => checkSharedEnums('strategy', extended)).toThrow(/PINTEREST/);
    expect(() => checkSharedEnums('brand', parse('enum ProjectType { BLOG }'))).not.toThrow();
  });

  it('a subgraph whose enum Channel differs does not start', async () => {
    const host = openDatabaseHost({ pgliteDir: 'memory' });
    try {
      const typeDefs = parse(`type Query { channels: [Channel!]! }\nenum Channel { BLOG EMAIL }`);
      const build = () =>
        createSubgraph({
          name: 'campaigns',
          typeDefs,
          resolvers: { Query: { channels: () => [] } },
          policies: { 'Query.channels': {} },
          migrations: {},
          config: readCommonConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', PGLITE_DIR: 'memory' }),
          databaseHost: host,
        });
      expect(build).toThrow(/^campaigns: enum Channel lists BLOG, EMAIL/);
    } finally {
      await host.close();
    }
  });
});
