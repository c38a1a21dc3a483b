import type { RouteObject } from 'react-router';
import { ApiKeysPage } from './api-keys-page';
import { AuditPage } from './audit-page';
import { AdminOnly } from './common';
import { DeadLettersPage } from './dead-letters-page';
import { MembersPage } from './members-page';

/** The admin pages: members for everyone (editing for OWNER and ADMIN), the others for OWNER and ADMIN only. */
export const adminRoutes: RouteObject[] = [
  { path: 'members', element: <MembersPage /> },
  {
    path: 'api-keys',
    element: (
      <AdminOnly title="API keys">
        <ApiKeysPage />
      </AdminOnly>
    ),
  },
  {
    path: 'audit',
    element: (
      <AdminOnly title="Audit events">
        <AuditPage />
      </AdminOnly>
    ),
  },
  {
    path: 'dead-letters',
    element: (
      <AdminOnly title="Dead letters">
        <DeadLettersPage />
      </AdminOnly>
    ),
  },
];
