export { composeSupergraph, CompositionFailed, repositorySubgraphs, type SubgraphSource } from './composition';
export { readGatewayConfig, type GatewayConfig } from './config';
export { createGateway, type Gateway } from './server';
