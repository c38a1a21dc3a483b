import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { defaultSubgraphUrl, subgraphSdl, SUBGRAPHS } from '@umt/infra';
import { parse } from 'graphql';
import { MONITOR_SDL, MONITOR_SUBGRAPH, MONITOR_URL } from './monitor/schema';

export interface SubgraphSource {
  name: string;
  url: string;
  sdl: string;
}

export class CompositionFailed extends Error {
  constructor(readonly errors: string[]) {
    super(`Composition failed with ${errors.length} error(s):\n${errors.map((e) => `  - ${e}`).join('\n')}`);
    this.name = 'CompositionFailed';
  }
}

/** Composes subgraph schemas into a supergraph with Apollo's composition (Federation 2). */
export function composeSupergraph(sources: SubgraphSource[]): string {
  const result = composeServices(sources.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(s.sdl) })));
  if (result.errors) throw new CompositionFailed(result.errors.map((e) => e.message));
  return result.supergraphSdl;
}

/**
 * What the supergraph is composed of: the five subgraphs' schemas of a repository checkout (each with the shared SDL
 * it includes), with their default URLs, and the gateway's own monitor subgraph (monitor/schema.ts), which the gateway
 * serves in its process.
 */
export function repositorySubgraphs(root: string): SubgraphSource[] {
  return [
    ...SUBGRAPHS.map(({ name }) => ({
      name,
      url: defaultSubgraphUrl(name),
      sdl: subgraphSdl(join(root, 'subgraphs', name, 'src', 'schema.graphql')),
    })),
    { name: MONITOR_SUBGRAPH, url: MONITOR_URL, sdl: MONITOR_SDL },
  ];
}
