import type { RouteObject } from 'react-router';
import { adminRoutes } from './admin/routes';
import { operationsRoutes } from './operations/routes';
import { workspaceRoutes } from './workspace/routes';

/**
 * The sections' pages behind the login:
 * - workspace: brands and projects, the calendar, content, publications;
 * - admin: members and invitations, API keys, audit events, dead letters;
 * - operations: platform connections, AI jobs, circuit monitoring.
 */
export const SECTION_ROUTES: RouteObject[] = [...workspaceRoutes, ...adminRoutes, ...operationsRoutes];
