import { actorOf, type Principal } from '@umt/infra';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';

export type AuditAction =
  | 'login.succeeded'
  | 'login.failed'
  | 'login.throttled'
  | 'session.refresh_reused'
  | 'session.logged_out'
  | 'password.changed'
  | 'email.verified'
  | 'member.invited'
  | 'member.joined'
  | 'member.role_changed'
  | 'member.removed'
  | 'apikey.created'
  | 'apikey.revoked'
  | 'organization.created';

export interface AuditEntry {
  action: AuditAction;
  orgId: string | null;
  principal: Principal;
  /** Overrides the principal as actor, e.g. the user who just logged in anonymously. */
  actorUserId?: string;
  targetId?: string | null;
  details?: Record<string, unknown>;
}

/** Records a security event; call it inside the transaction of the change it describes. */
export async function audit(db: Kysely<DB>, entry: AuditEntry): Promise<void> {
  const actor = entry.actorUserId ? { actorType: 'user' as const, actorId: entry.actorUserId } : actorOf(entry.principal);
  await db
    .insertInto('auditEvents')
    .values({
      orgId: entry.orgId,
      ...actor,
      action: entry.action,
      targetId: entry.targetId ?? null,
      address: 'address' in entry.principal ? (entry.principal.address ?? null) : null,
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}
