/**
 * `npm run compose` writes schema/supergraph.graphql from the subgraph schemas;
 * `npm run compose:check` fails when the committed file differs from a fresh composition.
 * Options: --root <repository>, --output <file>.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { composeSupergraph, CompositionFailed, repositorySubgraphs } from '../composition';

const { values } = parseArgs({
  options: {
    check: { type: 'boolean', default: false },
    root: { type: 'string', default: resolve(__dirname, '..', '..', '..') },
    output: { type: 'string' },
  },
});
const root = resolve(values.root);
const output = resolve(values.output ?? join(root, 'schema', 'supergraph.graphql'));

try {
  const supergraph = `${composeSupergraph(repositorySubgraphs(root)).trimEnd()}\n`;
  if (values.check) {
    const committed = existsSync(output) ? readFileSync(output, 'utf8') : '';
    if (committed !== supergraph) {
      process.stderr.write(`${output} is out of date with the subgraph schemas: run \`npm run compose\` and commit it.\n`);
      process.exit(1);
    }
    process.stdout.write(`${output} matches a fresh composition.\n`);
  } else {
    writeFileSync(output, supergraph);
    process.stdout.write(`Wrote ${output}\n`);
  }
} catch (error) {
  process.stderr.write(`${error instanceof CompositionFailed ? error.message : String(error)}\n`);
  process.exit(1);
}
