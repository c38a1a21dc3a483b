import { currentUser, fields, graphError, notFound, ownedPage, SCOPES, validate, viewer, type Database } from '@umt/infra';
import { z } from 'zod';
import { audit } from '../identity/audit';
import { hashToken, newApiKey, parseApiKey, sameHash } from '../identity/tokens';
import type { Context } from '../context';
import type { ApiKeyRow, DB } from '../db/schema';
import type { ApiKeyResolvers, MutationResolvers, QueryResolvers } from '../generated/graphql';
import { loadUser } from './user';

/** last_used_at is written at most this often per key, so busy partners do not turn every request into a write. */
const LAST_USED_RESOLUTION_MS = 60_000;

const CreateApiKeyInput = z.object({
  name: fields.name(120),
  scopes: z.array(z.enum(SCOPES, { message: `expected one of ${SCOPES.join(', ')}` })).min(1, 'must grant at least one scope').max(SCOPES.length),
  expiresAt: z
    .date()
    .nullish()
    .refine((d) => !d || d.getTime() > Date.now(), 'must be in the future'),
});

export const apiKeyQueries: Pick<QueryResolvers<Context>, 'apiKeys'> = {
  apiKeys: (_parent, args, ctx) =>
    ownedPage<ApiKeyRow, DB>(ctx, { table: 'apiKeys', sortKey: 'createdAt', direction: 'desc', orgId: viewer(ctx).orgId }, args),
};

export const apiKeyMutations: Pick<MutationResolvers<Context>, 'createApiKey' | 'revokeApiKey'> = {
  async createApiKey(_parent, args, ctx) {
    const caller = currentUser(ctx);
    const input = validate(CreateApiKeyInput, args.input);
    const { key, prefix } = newApiKey();
    const apiKey = await ctx.db.transaction().execute(async (trx) => {
      const created = await trx
        .insertInto('apiKeys')
        .values({
          orgId: caller.orgId,
          name: input.name,
          prefix,
          secretHash: hashToken(key),
          scopes: [...new Set(input.scopes)],
          createdBy: caller.userId,
          expiresAt: input.expiresAt ?? null,
          lastUsedAt: null,
          revokedAt: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await audit(trx, { action: 'apikey.created', orgId: caller.orgId, principal: ctx.principal, targetId: created.id, details: { name: input.name, prefix, scopes: created.scopes } });
      return created;
    });
    return { apiKey, key };
  },

  async revokeApiKey(_parent, args, ctx) {
    const { orgId } = viewer(ctx);
    const id = validate(fields.id(), args.id);
    return ctx.db.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom('apiKeys').selectAll().where('orgId', '=', orgId).where('id', '=', id).executeTakeFirst();
      if (!existing) throw notFound('API key');
      if (existing.revokedAt) return existing;
      const revoked = await trx.updateTable('apiKeys').set({ revokedAt: new Date() }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
      await audit(trx, { action: 'apikey.revoked', orgId, principal: ctx.principal, targetId: id, details: { prefix: existing.prefix } });
      return revoked;
    });
  },
};

export const ApiKey: ApiKeyResolvers<Context> = {
  createdBy: (key, _args, ctx) => (key.createdBy ? loadUser(ctx, key.createdBy) : null),
};

const AuthenticateBody = z.object({ key: z.string().max(200) });

/**
 * The gateway's question for every request made with an API key: which organization and scopes does it stand for?
 * Unknown, expired and revoked keys answer null.
 */
export async function authenticateApiKey(body: unknown, database: Database<DB>) {
  const parsed = AuthenticateBody.safeParse(body);
  if (!parsed.success) throw graphError('BAD_USER_INPUT', 'expected { key }');
  const { key } = parsed.data;
  const format = parseApiKey(key);
  if (!format) return { key: null };
  const row = await database.db.selectFrom('apiKeys').selectAll().where('prefix', '=', format.prefix).executeTakeFirst();
  const now = Date.now();
  if (!row || !sameHash(row.secretHash, hashToken(key)) || row.revokedAt || (row.expiresAt && row.expiresAt.getTime() <= now)) {
    return { key: null };
  }
  if (!row.lastUsedAt || now - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await database.db.updateTable('apiKeys').set({ lastUsedAt: new Date(now) }).where('id', '=', row.id).execute();
  }
  return { key: { keyId: row.id, orgId: row.orgId, scopes: row.scopes } };
}
