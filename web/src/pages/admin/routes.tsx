import type { RouteObject } from 'react-router';

/** The admin pages. */
export const adminRoutes: RouteObject[] = [];
