import type { DomainEvents, EventHandlers } from '@umt/infra';
import type { DB } from './db/schema';

/** What the creation subgraph does when other domains change. It publishes no events yet. */
export const eventHandlers: EventHandlers<DB> = {
  /** A new project gets a brief for its content. */
  'project.created': async (trx, event) => {
    const data = event.data as DomainEvents['project.created'];
    await trx
      .insertInto('briefs')
      .values({ projectId: data.projectId, orgId: event.orgId, brandId: data.brandId, title: data.name, projectType: data.type })
      .onConflict((oc) => oc.column('projectId').doNothing())
      .execute();
  },
};
