import type { AiCallRow, AiTables, GenerationJobRow } from '@umt/ai';
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

/** Creation's tables, with the AI layer's (generation jobs, calls, budgets): creation runs the agents' generations. */
export interface DB extends AiTables {
  contents: ContentTable;
  briefs: BriefTable;
}

export type { AiCallRow, GenerationJobRow };
export type GenerationJobConnectionModel = Connection<GenerationJobRow>;
export type AiCallConnectionModel = Connection<AiCallRow>;

export type BriefRow = Selectable<BriefTable>;

export type ContentRow = Selectable<ContentTable>;
export type ContentConnectionModel = Connection<ContentRow>;
/** A project as this subgraph knows it: by reference only. */
export interface ProjectRef {
  id: string;
}
