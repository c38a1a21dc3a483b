import type { RouteObject } from 'react-router';
import { AiPage } from './ai-page';
import { ConnectionCallbackPage } from './connection-callback-page';
import { ConnectionsPage } from './connections-page';
import { MonitoringPage } from './monitoring-page';

/** The operations pages: platform connections (and the OAuth consent's way back), AI jobs, circuit monitoring. */
export const operationsRoutes: RouteObject[] = [
  { path: 'connections', element: <ConnectionsPage /> },
  { path: 'connections/callback', element: <ConnectionCallbackPage /> },
  { path: 'ai', element: <AiPage /> },
  { path: 'monitoring', element: <MonitoringPage /> },
];
