import { childPage, conflict, fields, isUniqueViolation, loadOwned, ownedPage, requireId, validate, viewer, type PageArgs } from '@umt/infra';
import { z } from 'zod';
import type { Context } from '../context';
import type { BrandRow, DB, ProjectRow } from '../db/schema';
import type { BrandResolvers, MutationResolvers, OrganizationResolvers, QueryResolvers } from '../generated/graphql';

const CreateBrandInput = z.object({
  name: fields.name(120),
  website: fields.httpUrl().nullish(),
  industry: fields.name(120).nullish(),
  voice: fields.text(2000).nullish(),
});

/** One of the caller's brands by id, batched per request; null for unknown ids and other tenants' brands. */
export function loadBrand(ctx: Context, id: string): Promise<BrandRow | null> {
  return loadOwned<BrandRow, DB>(ctx, 'brands', viewer(ctx).orgId, id);
}

function brandsOf(ctx: Context, orgId: string, args: PageArgs) {
  return ownedPage<BrandRow, DB>(ctx, { table: 'brands', sortKey: 'createdAt', orgId }, args);
}

export const brandQueries: Pick<QueryResolvers<Context>, 'brands' | 'brand'> = {
  brands: (_parent, args, ctx) => brandsOf(ctx, viewer(ctx).orgId, args),
  brand: (_parent, args, ctx) => loadBrand(ctx, requireId(args.id)),
};

export const brandMutations: Pick<MutationResolvers<Context>, 'createBrand'> = {
  async createBrand(_parent, args, ctx) {
    const { orgId } = viewer(ctx);
    const input = validate(CreateBrandInput, args.input);
    try {
      return await ctx.db.transaction().execute(async (trx) => {
        const brand = await trx
          .insertInto('brands')
          .values({
            orgId,
            name: input.name,
            website: input.website ?? null,
            industry: input.industry ?? null,
            voice: input.voice ?? null,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        await ctx.events.record(trx, 'brand.created', orgId, {
          brandId: brand.id,
          name: brand.name,
          website: brand.website,
          industry: brand.industry,
        });
        return brand;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict(`A brand named "${input.name}" already exists.`, 'name');
      throw error;
    }
  },
};

export const Brand: BrandResolvers<Context> = {
  __resolveReference: (reference, ctx) => loadBrand(ctx, reference.id),
  organization: (brand) => ({ id: brand.orgId }),
  projects: (brand, args, ctx) =>
    childPage<ProjectRow, DB>(ctx, { table: 'projects', parentColumn: 'brandId', sortKey: 'createdAt', orgId: viewer(ctx).orgId }, brand.id, args),
};

export const Organization: OrganizationResolvers<Context> = {
  // Only the caller's own organization resolves here; any other id is unknown.
  __resolveReference: (reference, ctx) => (reference.id === viewer(ctx).orgId ? { id: reference.id } : null),
  brands: (organization, args, ctx) => {
    const { orgId } = viewer(ctx);
    if (organization.id !== orgId) return { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } };
    return brandsOf(ctx, orgId, args);
  },
};
