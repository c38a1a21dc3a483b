import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { composeSupergraph, CompositionFailed, repositorySubgraphs } from '../src/composition';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '..', '..');
const CLI = join(ROOT, 'gateway', 'dist', 'bin', 'compose.js');

describe('composition', () => {
  it('the committed supergraph is a fresh composition of the five subgraph schemas', () => {
    const committed = readFileSync(join(ROOT, 'schema', 'supergraph.graphql'), 'utf8');
    expect(committed).toBe(`${composeSupergraph(repositorySubgraphs(ROOT)).trimEnd()}\n`);
  });

  it('reports the errors of subgraphs that do not compose', () => {
    const link = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])';
    const compose = () =>
      composeSupergraph([
        { name: 'one', url: 'http://one/graphql', sdl: `${link}\ntype Query { a: Thing }\ntype Thing @key(fields: "id") { id: ID! name: String }` },
        { name: 'two', url: 'http://two/graphql', sdl: `${link}\ntype Query { b: Thing }\ntype Thing @key(fields: "id") { id: ID! name: Int }` },
      ]);
    expect(compose).toThrow(CompositionFailed);
    expect(compose).toThrow(/name/);
  });

  it('the CLI check fails on drift and on composition errors, and passes on a fresh file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'umt-compose-'));
    const output = join(dir, 'supergraph.graphql');
    writeFileSync(output, 'type Query { stale: String }\n');
    await expect(run('node', [CLI, '--check', '--output', output])).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('out of date'),
    });

    await run('node', [CLI, '--output', output]);
    const { stdout } = await run('node', [CLI, '--check', '--output', output]);
    expect(stdout).toContain('matches a fresh composition');

    // A repository copy whose brand schema contradicts the others.
    const broken = mkdtempSync(join(tmpdir(), 'umt-broken-'));
    for (const name of ['auth', 'brand', 'strategy', 'creation', 'campaigns']) {
      const sdl = readFileSync(join(ROOT, 'subgraphs', name, 'src', 'schema.graphql'), 'utf8');
      const dirOf = join(broken, 'subgraphs', name, 'src');
      await run('mkdir', ['-p', dirOf]);
      writeFileSync(join(dirOf, 'schema.graphql'), name === 'brand' ? sdl.replace('hasNextPage: Boolean!', 'hasNextPage: String!') : sdl);
    }
    await expect(run('node', [CLI, '--root', broken, '--output', join(broken, 'out.graphql')])).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('Composition failed'),
    });
  });
});
