import { fields, loadOwned, notFound, requireId, validate, viewer } from '@umt/infra';
import { z } from 'zod';
import type { Context } from '../context';
import type { DB, ProjectRow } from '../db/schema';
import type { MutationResolvers, ProjectResolvers, QueryResolvers } from '../generated/graphql';
import { loadBrand } from './brand';

const CreateProjectInput = z.object({
  brandId: fields.id(),
  name: fields.name(200),
  type: z.enum(['BLOG', 'SOCIAL_POST', 'EMAIL', 'LANDING_PAGE', 'AD_COPY']),
  dueAt: z.date().nullish(),
});

export function loadProject(ctx: Context, id: string): Promise<ProjectRow | null> {
  return loadOwned<ProjectRow, DB>(ctx, 'projects', viewer(ctx).orgId, id);
}

export const projectQueries: Pick<QueryResolvers<Context>, 'project'> = {
  project: (_parent, args, ctx) => loadProject(ctx, requireId(args.id)),
};

export const projectMutations: Pick<MutationResolvers<Context>, 'createProject'> = {
  async createProject(_parent, args, ctx) {
    const { orgId } = viewer(ctx);
    const input = validate(CreateProjectInput, args.input);
    const brand = await loadBrand(ctx, input.brandId);
    if (!brand) throw notFound('Brand');
    return ctx.db.transaction().execute(async (trx) => {
      const project = await trx
        .insertInto('projects')
        .values({ orgId, brandId: brand.id, name: input.name, type: input.type, dueAt: input.dueAt ?? null })
        .returningAll()
        .executeTakeFirstOrThrow();
      await ctx.events.record(trx, 'project.created', orgId, {
        projectId: project.id,
        brandId: project.brandId,
        name: project.name,
        type: project.type,
        dueAt: project.dueAt?.toISOString() ?? null,
      });
      return project;
    });
  },
};

export const Project: ProjectResolvers<Context> = {
  __resolveReference: (reference, ctx) => loadProject(ctx, reference.id),
  brand: async (project, _args, ctx) => {
    const brand = await loadBrand(ctx, project.brandId);
    if (!brand) throw new Error(`project ${project.id} points at missing brand ${project.brandId}`);
    return brand;
  },
};
