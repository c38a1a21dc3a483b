import type { RouteObject } from 'react-router';
import { BrandPage } from './brand-page';
import { BrandsPage } from './brands-page';
import { CalendarPage } from './calendar-page';
import { ContentPage } from './content-page';
import { PublicationsPage } from './publications-page';

/** The workspace pages. */
export const workspaceRoutes: RouteObject[] = [
  { path: '/brands', element: <BrandsPage /> },
  { path: '/brands/:brandId', element: <BrandPage /> },
  { path: '/calendar', element: <CalendarPage /> },
  { path: '/content', element: <ContentPage /> },
  { path: '/publications', element: <PublicationsPage /> },
];
