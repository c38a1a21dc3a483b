import type { Channel, Connection } from '@umt/infra';
import type { Generated, Selectable } from 'kysely';

export type ContentStatus = 'DRAFT' | 'REVIEW' | 'APPROVED';

export interface ContentTable {
  id: Generated<string>;
  orgId: string;
  projectId: string;
  channel: Channel;
  title: string;
  body: string;
  status: Generated<ContentStatus>;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
}

/** A project's creative brief, opened when `project.created` arrives. */
export interface BriefTable {
  projectId: string;
  orgId: string;
  brandId: string;
  title: string;
  projectType: string;
  status: Generated<'OPEN' | 'CLOSED'>;
  openedAt: Generated<Date>;
}

export interface DB {
  contents: ContentTable;
  briefs: BriefTable;
}

export type BriefRow = Selectable<BriefTable>;

export type ContentRow = Selectable<ContentTable>;
export type ContentConnectionModel = Connection<ContentRow>;
/** A project as this subgraph knows it: by reference only. */
export interface ProjectRef {
  id: string;
}
