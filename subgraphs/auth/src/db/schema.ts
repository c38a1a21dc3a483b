import type { Generated, Selectable } from 'kysely';
import type { Role } from '@umt/infra';

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
  createdAt: Generated<Date>;
}

export interface MembershipTable {
  orgId: string;
  userId: string;
  role: Role;
  createdAt: Generated<Date>;
}

export interface DB {
  organizations: OrganizationTable;
  users: UserTable;
  memberships: MembershipTable;
}

export type OrganizationRow = Selectable<OrganizationTable>;
export type UserRow = Omit<Selectable<UserTable>, 'passwordHash'>;
export type MembershipRow = Selectable<MembershipTable>;
