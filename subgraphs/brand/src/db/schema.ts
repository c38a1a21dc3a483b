import type { Generated, Selectable } from 'kysely';
import type { Connection } from '@umt/infra';

export type ProjectType = 'BLOG' | 'SOCIAL_POST' | 'EMAIL' | 'LANDING_PAGE' | 'AD_COPY';
export type ProjectStatus = 'DRAFT' | 'IN_PROGRESS' | 'REVIEW' | 'APPROVED' | 'PUBLISHED';

export interface BrandTable {
  id: Generated<string>;
  orgId: string;
  name: string;
  website: string | null;
  industry: string | null;
  voice: string | null;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
}

export interface ProjectTable {
  id: Generated<string>;
  orgId: string;
  brandId: string;
  name: string;
  type: ProjectType;
  status: Generated<ProjectStatus>;
  dueAt: Date | null;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
}

export interface DB {
  brands: BrandTable;
  projects: ProjectTable;
}

export type BrandRow = Selectable<BrandTable>;
export type ProjectRow = Selectable<ProjectTable>;
/** An organization as this subgraph knows it: by reference only. */
export interface OrganizationRef {
  id: string;
}
export type BrandConnectionModel = Connection<BrandRow>;
export type ProjectConnectionModel = Connection<ProjectRow>;
