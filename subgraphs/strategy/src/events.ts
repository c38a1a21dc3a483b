import type { DomainEventHandlers } from '@umt/infra';
import type { DB } from './db/schema';

/** What the strategy subgraph does when other domains change. It publishes no events yet. */
export const eventHandlers: DomainEventHandlers<DB> = {
  /**
   * A new brand gets its planning space, so the calendar has somewhere to live. The row is also strategy's record
   * that the brand exists in its organization: planCalendarEntry checks references against it.
   */
  'brand.created': async (trx, event) => {
    await trx
      .insertInto('brandPlanning')
      .values({ brandId: event.data.brandId, orgId: event.orgId, brandName: event.data.name })
      .onConflict((oc) => oc.column('brandId').doNothing())
      .execute();
  },
};
