/** The five subgraphs, in composition order, with the port each listens on by default. */
export const SUBGRAPHS = [
  { name: 'auth', port: 4001 },
  { name: 'brand', port: 4002 },
  { name: 'strategy', port: 4003 },
  { name: 'creation', port: 4004 },
  { name: 'campaigns', port: 4005 },
] as const;

export type SubgraphName = (typeof SUBGRAPHS)[number]['name'];

export const GATEWAY_PORT = 4000;

/** Environment variable that overrides where the gateway finds a subgraph, e.g. SUBGRAPH_BRAND_URL. */
export function subgraphUrlVariable(name: SubgraphName): string {
  return `SUBGRAPH_${name.toUpperCase()}_URL`;
}

export function defaultSubgraphUrl(name: SubgraphName): string {
  const entry = SUBGRAPHS.find((s) => s.name === name);
  if (!entry) throw new Error(`unknown subgraph ${name}`);
  return `http://localhost:${entry.port}/graphql`;
}
