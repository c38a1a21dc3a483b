// GraphQL Code Generator schema loader: a subgraph's schema.graphql with the shared SDL of infra it includes
// (`# include <name>`), read by the same function as the running service and composition (infra/src/schema-sdl.ts).
const { resolve } = require('node:path');
const { parse } = require('graphql');

function sharedSdlReader() {
  try {
    return require('../../infra/dist/schema-sdl.js').subgraphSdl;
  } catch (error) {
    throw new Error(`infra is not built (${error.message}): run \`npx turbo run build --filter=@umt/infra\` before codegen`);
  }
}

module.exports = (pointer, options) => parse(sharedSdlReader()(resolve(options.cwd ?? process.cwd(), pointer)));
