import type { RouteObject } from 'react-router';

/** The operations pages. */
export const operationsRoutes: RouteObject[] = [];
