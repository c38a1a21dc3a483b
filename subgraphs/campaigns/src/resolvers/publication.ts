import { badInput, CHANNELS, childPage, fields, loadOwned, ownedPage, requireId, validate, viewer } from '@umt/infra';
import { z } from 'zod';
import type { Context } from '../context';
import type { DB, PublicationRow } from '../db/schema';
import type { ContentResolvers, MutationResolvers, PublicationResolvers, QueryResolvers } from '../generated/graphql';

// A request that takes a moment to arrive should not be refused for scheduling "now".
const CLOCK_SKEW_MS = 60_000;

const SchedulePublicationInput = z.object({
  contentId: fields.id(),
  channel: z.enum(CHANNELS),
  scheduledAt: z.date(),
});

function loadPublication(ctx: Context, id: string): Promise<PublicationRow | null> {
  return loadOwned<PublicationRow, DB>(ctx, 'publications', viewer(ctx).orgId, id);
}

export const publicationQueries: Pick<QueryResolvers<Context>, 'publication' | 'publications'> = {
  publication: (_parent, args, ctx) => loadPublication(ctx, requireId(args.id)),
  publications: (_parent, args, ctx) =>
    ownedPage<PublicationRow, DB>(ctx, { table: 'publications', sortKey: 'scheduledAt', orgId: viewer(ctx).orgId }, args),
};

export const publicationMutations: Pick<MutationResolvers<Context>, 'schedulePublication'> = {
  async schedulePublication(_parent, args, ctx) {
    const { orgId } = viewer(ctx);
    const input = validate(SchedulePublicationInput, args.input);
    if (input.scheduledAt.getTime() < Date.now() - CLOCK_SKEW_MS) {
      throw badInput('scheduledAt: must not be in the past', 'scheduledAt');
    }
    // The content lives in another subgraph: campaigns knows the caller's content from content.created (contents).
    await ctx.references.require(ctx.db, { what: 'Content', field: 'contentId', projection: 'contents', column: 'contentId', orgId, id: input.contentId });
    return ctx.db
      .insertInto('publications')
      .values({ orgId, contentId: input.contentId, channel: input.channel, scheduledAt: input.scheduledAt, externalUrl: null })
      .returningAll()
      .executeTakeFirstOrThrow();
  },
};

export const Publication: PublicationResolvers<Context> = {
  __resolveReference: (reference, ctx) => loadPublication(ctx, reference.id),
  content: (publication) => ({ id: publication.contentId }),
};

export const Content: ContentResolvers<Context> = {
  __resolveReference: (reference) => ({ id: reference.id }),
  publications: (content, args, ctx) =>
    childPage<PublicationRow, DB>(
      ctx,
      { table: 'publications', parentColumn: 'contentId', sortKey: 'scheduledAt', orgId: viewer(ctx).orgId },
      content.id,
      args,
    ),
};
