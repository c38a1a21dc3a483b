import type { Channel, Connection } from '@umt/infra';
import type { Generated, Selectable } from 'kysely';

export type PublicationStatus = 'SCHEDULED' | 'PUBLISHING' | 'PUBLISHED' | 'FAILED' | 'CANCELLED';

export interface PublicationTable {
  id: Generated<string>;
  orgId: string;
  contentId: string;
  channel: Channel;
  scheduledAt: Date;
  status: Generated<PublicationStatus>;
  externalUrl: string | null;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
}

/**
 * Campaigns' own record of a piece of content, written when `content.created` arrives: what schedulePublication
 * checks a contentId against.
 */
export interface ContentTable {
  contentId: string;
  orgId: string;
  projectId: string;
  channel: Channel;
  title: string;
  knownSince: Generated<Date>;
}

export interface DB {
  publications: PublicationTable;
  contents: ContentTable;
}

export type PublicationRow = Selectable<PublicationTable>;
export type PublicationConnectionModel = Connection<PublicationRow>;
/** A piece of content as this subgraph knows it: by reference only. */
export interface ContentRef {
  id: string;
}
