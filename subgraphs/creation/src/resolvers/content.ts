import { CHANNELS, childPage, fields, loadOwned, ownedPage, requireId, validate, viewer } from '@umt/infra';
import { z } from 'zod';
import type { Context } from '../context';
import type { BriefRow, ContentRow, DB } from '../db/schema';
import type { ContentResolvers, MutationResolvers, ProjectResolvers, QueryResolvers } from '../generated/graphql';

// Long-form articles fit; anything larger is not a single piece of marketing content.
const MAX_BODY = 100_000;

const CreateContentInput = z.object({
  projectId: fields.id(),
  channel: z.enum(CHANNELS),
  title: fields.name(300),
  body: fields.text(MAX_BODY),
});

function loadContent(ctx: Context, id: string): Promise<ContentRow | null> {
  return loadOwned<ContentRow, DB>(ctx, 'contents', viewer(ctx).orgId, id);
}

export const contentQueries: Pick<QueryResolvers<Context>, 'content' | 'contents'> = {
  content: (_parent, args, ctx) => loadContent(ctx, requireId(args.id)),
  contents: (_parent, args, ctx) =>
    ownedPage<ContentRow, DB>(ctx, { table: 'contents', sortKey: 'createdAt', orgId: viewer(ctx).orgId }, args),
};

export const contentMutations: Pick<MutationResolvers<Context>, 'createContent'> = {
  async createContent(_parent, args, ctx) {
    const { orgId } = viewer(ctx);
    const input = validate(CreateContentInput, args.input);
    // The project lives in another subgraph: creation knows the caller's projects from project.created (briefs).
    await ctx.references.require(ctx.db, { what: 'Project', field: 'projectId', projection: 'briefs', column: 'projectId', orgId, id: input.projectId });
    return ctx.db.transaction().execute(async (trx) => {
      const content = await trx
        .insertInto('contents')
        .values({ orgId, projectId: input.projectId, channel: input.channel, title: input.title, body: input.body })
        .returningAll()
        .executeTakeFirstOrThrow();
      // Campaigns learns about content from this event (its reference check for schedulePublication).
      await ctx.events.record(trx, 'content.created', orgId, {
        contentId: content.id,
        projectId: content.projectId,
        channel: content.channel,
        title: content.title,
      });
      return content;
    });
  },
};

export const Content: ContentResolvers<Context> = {
  __resolveReference: (reference, ctx) => loadContent(ctx, reference.id),
  project: (content) => ({ id: content.projectId }),
};

export const Project: ProjectResolvers<Context> = {
  __resolveReference: (reference) => ({ id: reference.id }),
  brief: (project, _args, ctx) => {
    const { orgId } = viewer(ctx);
    return ctx.loaders
      .byId<BriefRow & { id: string }>('Brief', (ids) =>
        ctx.db.selectFrom('briefs').selectAll().select('projectId as id').where('orgId', '=', orgId).where('projectId', 'in', ids).execute(),
      )
      .load(project.id);
  },
  contents: (project, args, ctx) =>
    childPage<ContentRow, DB>(
      ctx,
      { table: 'contents', parentColumn: 'projectId', sortKey: 'createdAt', orgId: viewer(ctx).orgId },
      project.id,
      args,
    ),
};
