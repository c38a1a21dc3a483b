import type { DomainEventHandlers } from '@umt/infra';
import type { DB } from './db/schema';

/** What the auth subgraph does when other domains change. */
export const eventHandlers: DomainEventHandlers<DB> = {
  /** Auth's record that the brand exists in its organization: platform connections reference it. */
  'brand.created': async (trx, event) => {
    await trx
      .insertInto('brands')
      .values({ brandId: event.data.brandId, orgId: event.orgId, name: event.data.name })
      .onConflict((oc) => oc.column('brandId').doNothing())
      .execute();
  },
};
