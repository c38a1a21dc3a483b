import '@umt/infra/register-telemetry'; // first: instrumentations patch only modules loaded after it
import { runStandaloneSubgraph } from '@umt/infra';
import { createAuthSubgraph } from './index';

void runStandaloneSubgraph('auth', createAuthSubgraph);
