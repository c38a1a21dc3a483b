import '@umt/infra/register-telemetry'; // first: instrumentations patch only modules loaded after it
import { runStandaloneSubgraph } from '@umt/infra';
import { createStrategySubgraph } from './index';

void runStandaloneSubgraph('strategy', createStrategySubgraph);
