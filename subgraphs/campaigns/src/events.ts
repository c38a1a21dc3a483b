import type { DomainEventHandlers } from '@umt/infra';
import type { DB } from './db/schema';

/** What the campaigns subgraph does when other domains change. It publishes no events yet. */
export const eventHandlers: DomainEventHandlers<DB> = {
  /** New content becomes publishable: schedulePublication checks references against this record. */
  'content.created': async (trx, event) => {
    const { data } = event;
    await trx
      .insertInto('contents')
      .values({ contentId: data.contentId, orgId: event.orgId, projectId: data.projectId, channel: data.channel, title: data.title })
      .onConflict((oc) => oc.column('contentId').doNothing())
      .execute();
  },
};
