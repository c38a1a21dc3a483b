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

export interface DB {
  contents: ContentTable;
}

export type ContentRow = Selectable<ContentTable>;
export type ContentConnectionModel = Connection<ContentRow>;
/** A project as this subgraph knows it: by reference only. */
export interface ProjectRef {
  id: string;
}
