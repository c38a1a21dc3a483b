import type { RouteObject } from 'react-router';

/** The sections' pages behind the login (each section adds its routes here). */
export const SECTION_ROUTES: RouteObject[] = [];
