import type { RouteObject } from 'react-router';

/** The workspace pages. */
export const workspaceRoutes: RouteObject[] = [];
