import { CHANNELS, childPage, fields, loadOwned, requireId, validate, viewer } from '@umt/infra';
import { z } from 'zod';
import type { Context } from '../context';
import type { BrandPlanningRow, CalendarEntryRow, DB } from '../db/schema';
import type { BrandResolvers, CalendarEntryResolvers, MutationResolvers, QueryResolvers } from '../generated/graphql';


const PlanCalendarEntryInput = z.object({
  brandId: fields.id(),
  channel: z.enum(CHANNELS),
  title: fields.name(200),
  notes: fields.text(5000).nullish(),
  scheduledAt: z.date(),
});

function loadEntry(ctx: Context, id: string): Promise<CalendarEntryRow | null> {
  return loadOwned<CalendarEntryRow, DB>(ctx, 'calendarEntries', viewer(ctx).orgId, id);
}

export const calendarQueries: Pick<QueryResolvers<Context>, 'calendarEntry'> = {
  calendarEntry: (_parent, args, ctx) => loadEntry(ctx, requireId(args.id)),
};

export const calendarMutations: Pick<MutationResolvers<Context>, 'planCalendarEntry'> = {
  async planCalendarEntry(_parent, args, ctx) {
    const { orgId } = viewer(ctx);
    const input = validate(PlanCalendarEntryInput, args.input);
    // The brand lives in another subgraph: strategy knows the caller's brands from brand.created (brand_planning).
    await ctx.references.require(ctx.db, { what: 'Brand', field: 'brandId', projection: 'brandPlanning', column: 'brandId', orgId, id: input.brandId });
    return ctx.db
      .insertInto('calendarEntries')
      .values({
        orgId,
        brandId: input.brandId,
        channel: input.channel,
        title: input.title,
        notes: input.notes ?? null,
        scheduledAt: input.scheduledAt,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  },
};

export const CalendarEntry: CalendarEntryResolvers<Context> = {
  __resolveReference: (reference, ctx) => loadEntry(ctx, reference.id),
  brand: (entry) => ({ id: entry.brandId }),
};

export const Brand: BrandResolvers<Context> = {
  __resolveReference: (reference) => ({ id: reference.id }),
  planning: (brand, _args, ctx) => {
    const { orgId } = viewer(ctx);
    return ctx.loaders
      .byId<BrandPlanningRow & { id: string }>('BrandPlanning', (ids) =>
        ctx.db.selectFrom('brandPlanning').selectAll().select('brandId as id').where('orgId', '=', orgId).where('brandId', 'in', ids).execute(),
      )
      .load(brand.id);
  },
  calendar: (brand, args, ctx) =>
    childPage<CalendarEntryRow, DB>(
      ctx,
      { table: 'calendarEntries', parentColumn: 'brandId', sortKey: 'scheduledAt', orgId: viewer(ctx).orgId },
      brand.id,
      args,
    ),
};
