import '@umt/infra/register-telemetry'; // first: instrumentations patch only modules loaded after it
import { runStandaloneSubgraph } from '@umt/infra';
import { createCreationSubgraph } from './index';

void runStandaloneSubgraph('creation', createCreationSubgraph);
