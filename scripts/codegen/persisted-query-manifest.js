// GraphQL Code Generator plugin: the operations' Apollo persisted-query manifest (format
// "apollo-persisted-query-manifest", version 1). Each body is the operation printed with the fragments it uses;
// its id is the sha256 of that body, as the APQ protocol and Apollo's persisted-query link compute it.
// The web app's operations (under web/) are registered as Apollo Client sends them: with __typename in every
// selection set, which its cache needs to normalise the answers.
const { createHash } = require('node:crypto');
const { Kind, print, visit } = require('graphql');
const { addTypenameToDocument } = require('@apollo/client/utilities');

const fromWebApp = (location) => /(^|[\\/])web[\\/]/.test(location ?? '');

function fragmentsUsed(node, fragments, seen = new Set()) {
  visit(node, {
    FragmentSpread(spread) {
      const name = spread.name.value;
      if (seen.has(name)) return;
      seen.add(name);
      const fragment = fragments.get(name);
      if (!fragment) throw new Error(`unknown fragment ${name}`);
      fragmentsUsed(fragment, fragments, seen);
    },
  });
  return seen;
}

module.exports = {
  plugin(_schema, documents) {
    const definitions = documents.flatMap((d) => (fromWebApp(d.location) ? addTypenameToDocument(d.document) : d.document).definitions);
    const fragments = new Map(definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
    const operations = definitions
      .filter((d) => d.kind === Kind.OPERATION_DEFINITION)
      .map((operation) => {
        if (!operation.name) throw new Error('every persisted operation needs a name');
        const used = [...fragmentsUsed(operation, fragments)].sort().map((name) => fragments.get(name));
        const body = [operation, ...used].map((d) => print(d)).join('\n\n');
        return { id: createHash('sha256').update(body).digest('hex'), name: operation.name.value, type: operation.operation, body };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
    const names = operations.map((o) => o.name);
    const duplicate = names.find((name, i) => names.indexOf(name) !== i);
    if (duplicate) throw new Error(`two persisted operations are named ${duplicate}`);
    return `${JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations }, null, 2)}\n`;
  },
};
