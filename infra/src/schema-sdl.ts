import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** `# include dead-letters` on a line of its own in a schema.graphql includes infra/src/dead-letters.graphql. */
const INCLUDE = /^#\s*include\s+(\S+)\s*$/gm;
const SHARED_NAME = /^[a-z][a-z0-9-]*$/;

/** infra's shared SDL files sit in its src/, beside the compiled dist/ this module runs from. */
const SHARED_SDL_DIR = join(__dirname, '..', 'src');

/**
 * A subgraph's SDL as the running service, composition (gateway/src/composition.ts) and code generation
 * (scripts/codegen/subgraph-schema.js) all see it: its schema.graphql followed by each shared SDL file of infra it
 * includes. Shared SDL holds what several subgraphs declare identically (@shareable types), written once.
 */
export function subgraphSdl(schemaFile: string): string {
  const own = readFileSync(schemaFile, 'utf8');
  const included = [...own.matchAll(INCLUDE)].map(([line, name = '']) => {
    const file = join(SHARED_SDL_DIR, `${name}.graphql`);
    if (!SHARED_NAME.test(name) || !existsSync(file)) throw new Error(`${schemaFile}: "${line}" names no shared SDL file of infra (${file})`);
    return readFileSync(file, 'utf8');
  });
  return [own, ...included].join('\n');
}
