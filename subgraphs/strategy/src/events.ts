import type { DomainEvents, EventHandlers } from '@umt/infra';
import type { DB } from './db/schema';

/** What the strategy subgraph does when other domains change. It publishes no events yet. */
export const eventHandlers: EventHandlers<DB> = {
  /** A new brand gets its planning space, so the calendar has somewhere to live. */
  'brand.created': async (trx, event) => {
    const data = event.data as DomainEvents['brand.created'];
    await trx
      .insertInto('brandPlanning')
      .values({ brandId: data.brandId, orgId: event.orgId, brandName: data.name })
      .onConflict((oc) => oc.column('brandId').doNothing())
      .execute();
  },
};
