import { randomUUID } from 'node:crypto';
import type { Role, TokenCodec } from '@umt/infra';
import type { Kysely } from 'kysely';
import type { DB, OrganizationRow, UserRow } from '../db/schema';
import { hashToken, newToken } from './tokens';

export interface AuthPayloadModel {
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
  user: UserRow;
  organization: OrganizationRow;
  role: Role;
  emailVerificationToken?: string | null;
}

export interface SessionSettings {
  accessTokens: TokenCodec;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
}

/**
 * Issues an access token and a refresh token. A new login starts a token family; a refresh continues the family
 * of the token it consumed, so that reuse of any consumed token can revoke everything issued after it.
 */
export async function issueSession(
  db: Kysely<DB>,
  settings: SessionSettings,
  session: { user: UserRow; organization: OrganizationRow; role: Role; familyId?: string },
): Promise<AuthPayloadModel> {
  const familyId = session.familyId ?? randomUUID();
  const refreshToken = newToken();
  const now = Date.now();
  const refreshTokenExpiresAt = new Date(now + settings.refreshTokenTtlSeconds * 1000);
  await db
    .insertInto('refreshTokens')
    .values({
      familyId,
      orgId: session.organization.id,
      userId: session.user.id,
      tokenHash: hashToken(refreshToken),
      expiresAt: refreshTokenExpiresAt,
      usedAt: null,
      revokedAt: null,
    })
    .execute();
  return {
    accessToken: settings.accessTokens.sign({
      kind: 'user',
      userId: session.user.id,
      orgId: session.organization.id,
      roles: [session.role],
      sessionId: familyId,
    }),
    accessTokenExpiresAt: new Date(now + settings.accessTokenTtlSeconds * 1000),
    refreshToken,
    refreshTokenExpiresAt,
    user: session.user,
    organization: session.organization,
    role: session.role,
  };
}

/** Ends every session of a family (logout, reuse detection). */
export async function revokeFamily(db: Kysely<DB>, familyId: string): Promise<void> {
  await db.updateTable('refreshTokens').set({ revokedAt: new Date() }).where('familyId', '=', familyId).where('revokedAt', 'is', null).execute();
}
