import type { DomainEventHandlers } from '@umt/infra';
import type { DB } from './db/schema';

/** What the creation subgraph does when other domains change. It publishes `content.created` (see resolvers). */
export const eventHandlers: DomainEventHandlers<DB> = {
  /**
   * A new project gets a brief for its content. The brief is also creation's record that the project exists in its
   * organization: createContent checks references against it.
   */
  'project.created': async (trx, event) => {
    const { data } = event;
    await trx
      .insertInto('briefs')
      .values({ projectId: data.projectId, orgId: event.orgId, brandId: data.brandId, title: data.name, projectType: data.type })
      .onConflict((oc) => oc.column('projectId').doNothing())
      .execute();
  },
};
