import { currentUser, fields, notFound, ownedPage, validate, viewer } from '@umt/infra';
import { PROVIDER_IDS, PROVIDERS, type ApiKeyField } from '@umt/integrations';
import { z } from 'zod';
import { providerIdOf, type Connections } from '../agent/connections';
import type { Context } from '../context';
import type { DB, PlatformConnectionRow } from '../db/schema';
import type { MutationResolvers, PlatformConnectionResolvers, PlatformProvider, QueryResolvers } from '../generated/graphql';
import { loadUser } from './user';

const providerEnum = (id: string) => id.toUpperCase() as PlatformProvider;

const StartInput = z.object({
  brandId: fields.id(),
  provider: z.string(),
  redirectUri: z
    .string()
    .max(2000)
    .refine((v) => /^https?:\/\//.test(v), 'must be an http:// or https:// URL')
    .nullish(),
});
const CompleteInput = z.object({ state: z.string().min(1).max(200), code: z.string().min(1).max(2000) });
const ApiKeyInput = z.object({
  brandId: fields.id(),
  provider: z.string(),
  secret: z.string().min(1, 'must not be empty').max(500),
  username: z.string().max(200).nullish(),
  siteUrl: z.string().max(2000).nullish(),
});

/** The brand must be one of the caller's organization's (auth learns brands from brand.created). */
async function requireBrand(ctx: Context, orgId: string, brandId: string): Promise<void> {
  await ctx.references.require(ctx.db, { what: 'Brand', field: 'brandId', projection: 'brands', column: 'brandId', orgId, id: brandId });
}

async function ownConnection(ctx: Context, id: string): Promise<PlatformConnectionRow> {
  const { orgId } = viewer(ctx);
  const row = await ctx.db.selectFrom('platformConnections').selectAll().where('orgId', '=', orgId).where('id', '=', validate(fields.id(), id)).executeTakeFirst();
  if (!row) throw notFound('Platform connection');
  return row;
}

export function connectionResolvers(connections: Connections) {
  const queries: Pick<QueryResolvers<Context>, 'platformProviders' | 'platformConnections' | 'platformConnection'> = {
    platformProviders: () =>
      PROVIDER_IDS.map((id) => {
        const module = PROVIDERS[id];
        return {
          provider: providerEnum(id),
          displayName: module.displayName,
          category: module.category,
          authMethod: module.auth.kind === 'oauth2' ? 'OAUTH2' : 'API_KEY',
          configured: connections.configured(id),
          sandbox: connections.providerSettings(id).sandbox,
          apiKeyFields: module.auth.kind === 'api_key' ? module.auth.fields.map((f: ApiKeyField) => f.name) : [],
        };
      }),
    platformConnections: (_parent, args, ctx) =>
      ownedPage<PlatformConnectionRow, DB>(
        ctx,
        {
          table: 'platformConnections',
          sortKey: 'createdAt',
          direction: 'desc',
          orgId: viewer(ctx).orgId,
          where: args.brandId ? { brandId: validate(fields.id(), args.brandId) } : {},
        },
        args,
      ),
    platformConnection: async (_parent, args, ctx) => {
      const { orgId } = viewer(ctx);
      return (await ctx.db.selectFrom('platformConnections').selectAll().where('orgId', '=', orgId).where('id', '=', validate(fields.id(), args.id)).executeTakeFirst()) ?? null;
    },
  };

  const mutations: Pick<MutationResolvers<Context>, 'startPlatformConnection' | 'completePlatformConnection' | 'connectPlatformWithApiKey' | 'checkPlatformConnection' | 'disconnectPlatform'> = {
    async startPlatformConnection(_parent, args, ctx) {
      const caller = currentUser(ctx);
      const input = validate(StartInput, args.input);
      const provider = providerIdOf(input.provider);
      await requireBrand(ctx, caller.orgId, input.brandId);
      return connections.start(ctx.db, caller, { brandId: input.brandId, provider, redirectUri: input.redirectUri });
    },
    async completePlatformConnection(_parent, args, ctx) {
      const caller = currentUser(ctx);
      return connections.complete(ctx.db, ctx.events, caller, validate(CompleteInput, args.input));
    },
    async connectPlatformWithApiKey(_parent, args, ctx) {
      const caller = currentUser(ctx);
      const input = validate(ApiKeyInput, args.input);
      const provider = providerIdOf(input.provider);
      await requireBrand(ctx, caller.orgId, input.brandId);
      return connections.connectApiKey(ctx.db, ctx.events, caller, { ...input, provider });
    },
    async checkPlatformConnection(_parent, args, ctx) {
      return connections.check(ctx.db, ctx.events, await ownConnection(ctx, args.id));
    },
    async disconnectPlatform(_parent, args, ctx) {
      await connections.disconnect(ctx.db, await ownConnection(ctx, args.id));
      return true;
    },
  };

  const PlatformConnection: PlatformConnectionResolvers<Context> = {
    provider: (row) => providerEnum(row.provider),
    category: (row) => row.category as 'SOCIAL' | 'EMAIL' | 'CMS' | 'ADS',
    authMethod: (row) => (row.authKind === 'oauth2' ? 'OAUTH2' : 'API_KEY'),
    connectedBy: (row, _args, ctx) => (row.createdBy ? loadUser(ctx, row.createdBy) : null),
  };

  return { queries, mutations, PlatformConnection };
}
