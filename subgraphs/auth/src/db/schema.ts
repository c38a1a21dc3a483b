import type { Connection, Role } from '@umt/infra';
import type { Generated, JSONColumnType, Selectable } from 'kysely';

export interface OrganizationTable {
  id: Generated<string>;
  name: string;
  slug: string;
  createdAt: Generated<Date>;
}

/** Users are people, not tenant data: one login may belong to several organizations through memberships. */
export interface UserTable {
  id: Generated<string>;
  email: string;
  name: string;
  passwordHash: string;
  emailVerifiedAt: Date | null;
  /** sha256 of the pending email verification token. */
  emailVerificationHash: string | null;
  createdAt: Generated<Date>;
}

export interface MembershipTable {
  orgId: string;
  userId: string;
  role: Role;
  createdAt: Generated<Date>;
}

/** One row per refresh token; a login's tokens share a family, which is what reuse detection revokes. */
export interface RefreshTokenTable {
  id: Generated<string>;
  familyId: string;
  orgId: string;
  userId: string;
  tokenHash: string;
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
  createdAt: Generated<Date>;
}

export interface InvitationTable {
  id: Generated<string>;
  orgId: string;
  email: string;
  role: Role;
  tokenHash: string;
  invitedBy: string | null;
  expiresAt: Date;
  acceptedAt: Date | null;
  createdAt: Generated<Date>;
}

export interface ApiKeyTable {
  id: Generated<string>;
  orgId: string;
  name: string;
  prefix: string;
  secretHash: string;
  scopes: string[];
  createdBy: string | null;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdAt: Generated<Date>;
}

export interface AuditEventTable {
  id: Generated<string>;
  /** Null for events that belong to no known organization (a failed login for an unknown email). */
  orgId: string | null;
  actorType: 'user' | 'apiKey' | 'anonymous';
  actorId: string | null;
  action: string;
  targetId: string | null;
  address: string | null;
  details: JSONColumnType<Record<string, unknown>>;
  createdAt: Generated<Date>;
}

export interface LoginAttemptTable {
  id: Generated<string>;
  email: string;
  address: string | null;
  succeeded: boolean;
  createdAt: Generated<Date>;
}

/** Auth's record of a brand (from brand.created): what connections reference. */
export interface BrandTable {
  brandId: string;
  orgId: string;
  name: string;
}

export type ConnectionHealth = 'HEALTHY' | 'DEGRADED' | 'BROKEN';

/** A brand's account on a platform. Credentials are sealed (AES-256-GCM); nothing here is a secret in the clear. */
export interface PlatformConnectionTable {
  id: Generated<string>;
  orgId: string;
  brandId: string;
  provider: string;
  category: string;
  authKind: 'oauth2' | 'api_key';
  accountId: string;
  accountName: string;
  accountUrl: string | null;
  sandbox: boolean;
  scopes: string[];
  /** The sealed Credentials JSON (an access token, or an API key with its user name and site). */
  credentialsSealed: string;
  refreshTokenSealed: string | null;
  tokenExpiresAt: Date | null;
  health: Generated<ConnectionHealth>;
  lastErrorCode: string | null;
  lastError: string | null;
  consecutiveFailures: Generated<number>;
  lastCheckedAt: Date | null;
  nextCheckAt: Generated<Date>;
  createdBy: string | null;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
}

export interface ConnectionAttemptTable {
  stateHash: string;
  orgId: string;
  userId: string;
  brandId: string;
  provider: string;
  verifierSealed: string;
  redirectUri: string;
  expiresAt: Date;
  createdAt: Generated<Date>;
}

export interface DB {
  brands: BrandTable;
  platformConnections: PlatformConnectionTable;
  connectionAttempts: ConnectionAttemptTable;
  organizations: OrganizationTable;
  users: UserTable;
  memberships: MembershipTable;
  refreshTokens: RefreshTokenTable;
  invitations: InvitationTable;
  apiKeys: ApiKeyTable;
  auditEvents: AuditEventTable;
  loginAttempts: LoginAttemptTable;
}

export type OrganizationRow = Selectable<OrganizationTable>;
export type UserRow = Pick<Selectable<UserTable>, 'id' | 'email' | 'name' | 'emailVerifiedAt' | 'createdAt'>;
export type MembershipRow = Selectable<MembershipTable>;
export type InvitationRow = Selectable<InvitationTable>;
export type ApiKeyRow = Selectable<ApiKeyTable>;
export type AuditEventRow = Selectable<AuditEventTable>;
export type ApiKeyConnectionModel = Connection<ApiKeyRow>;
export type AuditEventConnectionModel = Connection<AuditEventRow>;
export type PlatformConnectionRow = Selectable<PlatformConnectionTable>;
export type PlatformConnectionConnectionModel = Connection<PlatformConnectionRow>;
