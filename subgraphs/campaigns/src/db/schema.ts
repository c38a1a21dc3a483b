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

export interface DB {
  publications: PublicationTable;
}

export type PublicationRow = Selectable<PublicationTable>;
export type PublicationConnectionModel = Connection<PublicationRow>;
/** A piece of content as this subgraph knows it: by reference only. */
export interface ContentRef {
  id: string;
}
