import { graphError } from '@umt/infra';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema';

/** Failed logins allowed per window before further attempts are refused. */
export const LOGIN_THROTTLE = {
  windowSeconds: 15 * 60,
  perAccount: 5,
  perAddress: 20,
};

/**
 * Refuses a login attempt while the account or the client address has too many recent failures, counted in the
 * database so that every auth instance sees the same numbers. Throws RATE_LIMITED with a retry hint.
 */
export async function checkLoginThrottle(db: Kysely<DB>, email: string, address: string | undefined): Promise<void> {
  const since = new Date(Date.now() - LOGIN_THROTTLE.windowSeconds * 1000);
  const failures = (column: 'email' | 'address', value: string) =>
    db
      .selectFrom('loginAttempts')
      .select([sql<number>`count(*)::int`.as('count'), sql<Date | null>`min(created_at)`.as('oldest')])
      .where(column, '=', value)
      .where('succeeded', '=', false)
      .where('createdAt', '>', since)
      .executeTakeFirstOrThrow();
  const checks = [{ scope: 'account', limit: LOGIN_THROTTLE.perAccount, result: await failures('email', email) }];
  if (address) checks.push({ scope: 'address', limit: LOGIN_THROTTLE.perAddress, result: await failures('address', address) });
  for (const { scope, limit, result } of checks) {
    if (result.count >= limit && result.oldest) {
      const retryAfterSeconds = Math.max(1, Math.ceil((new Date(result.oldest).getTime() + LOGIN_THROTTLE.windowSeconds * 1000 - Date.now()) / 1000));
      throw graphError('RATE_LIMITED', `Too many failed logins for this ${scope}; try again in ${Math.ceil(retryAfterSeconds / 60)} minute(s).`, {
        retryAfterSeconds,
      });
    }
  }
}

export async function recordLoginAttempt(db: Kysely<DB>, email: string, address: string | undefined, succeeded: boolean): Promise<void> {
  await db.insertInto('loginAttempts').values({ email, address: address ?? null, succeeded }).execute();
}
