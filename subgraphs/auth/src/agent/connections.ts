/**
 * Platform connections: a brand's account on a provider, connected with OAuth2 (authorization code + PKCE) or an API
 * key, its credentials sealed at rest, refreshed before they expire, checked on a schedule.
 *
 * Auth makes the provider calls itself (identify, refresh, revoke); credentials are opened only for a call and never
 * leave the service. A credential sealed under a retired key is sealed again under the current one when used.
 */
import { createHash, randomUUID } from 'node:crypto';
import { badInput, DependencyUnavailableError, graphError, notFound, type EventRecorder } from '@umt/infra';
import {
  anonymousClient,
  authorizationUrl,
  createPkcePair,
  createState,
  exchangeCode,
  isProviderId,
  PROVIDERS,
  ProviderError,
  providerClient,
  refreshTokens,
  revokeToken,
  type Credentials,
  type OAuthEndpoints,
  type ProviderId,
  type ProviderModule,
  type ProviderSettings,
  type TokenSet,
} from '@umt/integrations';
import type { GraphQLError } from 'graphql';
import type { Kysely, Transaction } from 'kysely';
import type { ConnectionHealth, DB, PlatformConnectionRow } from '../db/schema';
import type { ConnectionSettings } from './integration-settings';
import { isInternalHost } from './site-address';

const ATTEMPT_TTL_MS = 10 * 60_000;
/** The service name of the calls' breakers and metrics. */
const SERVICE = 'auth';

export const providerIdOf = (provider: string): ProviderId => {
  const id = provider.toLowerCase();
  if (!isProviderId(id)) throw badInput(`Unknown provider ${provider}.`, 'provider');
  return id;
};

const moduleOf = (id: ProviderId): ProviderModule => PROVIDERS[id];
const hashState = (state: string) => createHash('sha256').update(state).digest('base64url');
const credentialsContext = (id: string) => `platform_connection:${id}:credentials`;
const refreshContext = (id: string) => `platform_connection:${id}:refresh_token`;

/** A provider's failure, or an unavailable provider, as the GraphQL error the caller gets; anything else is rethrown. */
export function providerFailure(error: unknown): GraphQLError {
  if (error instanceof DependencyUnavailableError) return error.toGraphQLError();
  if (error instanceof ProviderError) {
    return graphError(error.code as Parameters<typeof graphError>[0], error.message, {
      provider: error.provider,
      ...(error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
      ...(error.providerCode ? { providerCode: error.providerCode } : {}),
    });
  }
  throw error;
}

export class Connections {
  constructor(private readonly settings: ConnectionSettings) {}

  providerSettings(id: ProviderId): ProviderSettings {
    return this.settings.integrations.providers[id];
  }

  /** OAuth2 providers need our client id and secret; without them they cannot be connected. */
  configured(id: ProviderId): boolean {
    const module = moduleOf(id);
    const settings = this.providerSettings(id);
    return module.auth.kind === 'api_key' || Boolean(settings.clientId && settings.clientSecret);
  }

  private endpoints(id: ProviderId): { endpoints: OAuthEndpoints; client: { clientId: string; clientSecret: string } } {
    const module = moduleOf(id);
    const settings = this.providerSettings(id);
    if (module.auth.kind !== 'oauth2') throw badInput(`${module.displayName} connects with an API key: use connectPlatformWithApiKey.`, 'provider');
    if (!settings.clientId || !settings.clientSecret) {
      const prefix = `INTEGRATION_${id.toUpperCase()}_`;
      throw graphError('BAD_USER_INPUT', `${module.displayName} is not configured here: set ${prefix}CLIENT_ID and ${prefix}CLIENT_SECRET, or start with --sandbox.`, { field: 'provider' });
    }
    return { endpoints: module.auth.endpoints(settings), client: { clientId: settings.clientId, clientSecret: settings.clientSecret } };
  }

  async start(db: Kysely<DB>, who: { orgId: string; userId: string }, input: { brandId: string; provider: ProviderId; redirectUri?: string | null }) {
    const { endpoints, client } = this.endpoints(input.provider);
    const redirectUri = input.redirectUri ?? this.settings.redirectUri;
    const state = createState();
    const pkce = createPkcePair();
    const expiresAt = new Date(Date.now() + ATTEMPT_TTL_MS);
    const stateHash = hashState(state);
    await db.deleteFrom('connectionAttempts').where('expiresAt', '<', new Date()).execute();
    await db
      .insertInto('connectionAttempts')
      .values({
        stateHash,
        orgId: who.orgId,
        userId: who.userId,
        brandId: input.brandId,
        provider: input.provider,
        verifierSealed: this.settings.secrets.seal(pkce.verifier, `connection_attempt:${stateHash}`),
        redirectUri,
        expiresAt,
      })
      .execute();
    return { authorizationUrl: authorizationUrl(endpoints, client, { redirectUri, state, codeChallenge: pkce.challenge }), state, expiresAt };
  }

  /**
   * Exchanges the code for tokens with the attempt's verifier, asks the provider whose account it is, and stores the
   * connection. The state is used once: a wrong, expired, reused or someone else's state is refused alike.
   */
  async complete(db: Kysely<DB>, events: EventRecorder<DB>, who: { orgId: string; userId: string }, input: { state: string; code: string }): Promise<PlatformConnectionRow> {
    const stateHash = hashState(input.state);
    const attempt = await db.deleteFrom('connectionAttempts').where('stateHash', '=', stateHash).returningAll().executeTakeFirst();
    if (!attempt || attempt.expiresAt <= new Date() || attempt.orgId !== who.orgId || attempt.userId !== who.userId) {
      throw badInput('This connection attempt is unknown, expired or already used: start again.', 'state');
    }
    const id = providerIdOf(attempt.provider);
    const { endpoints, client } = this.endpoints(id);
    const verifier = this.settings.secrets.open(attempt.verifierSealed, `connection_attempt:${stateHash}`);
    let tokens: TokenSet;
    try {
      tokens = await exchangeCode(anonymousClient(moduleOf(id), this.providerSettings(id), SERVICE), endpoints, client, { code: input.code, redirectUri: attempt.redirectUri, codeVerifier: verifier });
    } catch (error) {
      throw providerFailure(error);
    }
    return this.store(db, events, who, { brandId: attempt.brandId, provider: id, credentials: { kind: 'oauth2', accessToken: tokens.accessToken }, tokens });
  }

  async connectApiKey(db: Kysely<DB>, events: EventRecorder<DB>, who: { orgId: string; userId: string }, input: { brandId: string; provider: ProviderId; secret: string; username?: string | null; siteUrl?: string | null }) {
    const module = moduleOf(input.provider);
    if (module.auth.kind !== 'api_key') throw badInput(`${module.displayName} connects through its consent page: use startPlatformConnection.`, 'provider');
    for (const field of module.auth.fields) {
      if (field.name !== 'secret' && !input[field.name]) throw badInput(`${module.displayName} needs ${field.label}.`, field.name);
    }
    if (input.siteUrl) {
      let url: URL | undefined;
      try {
        url = new URL(input.siteUrl);
      } catch {
        url = undefined;
      }
      if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) throw badInput('siteUrl must be an http:// or https:// address.', 'siteUrl');
      // The sandbox's fake site lives on loopback; a real site must be on the internet.
      if (!this.providerSettings(input.provider).sandbox && (await isInternalHost(url.hostname))) {
        throw badInput('siteUrl must be a public address: this one is private, local or does not resolve.', 'siteUrl');
      }
    }
    const credentials: Credentials = { kind: 'api_key', secret: input.secret, username: input.username ?? undefined, siteUrl: input.siteUrl?.replace(/\/$/, '') ?? undefined };
    return this.store(db, events, who, { brandId: input.brandId, provider: input.provider, credentials });
  }

  private async store(
    db: Kysely<DB>,
    events: EventRecorder<DB>,
    who: { orgId: string; userId: string },
    input: { brandId: string; provider: ProviderId; credentials: Credentials; tokens?: TokenSet },
  ): Promise<PlatformConnectionRow> {
    const module = moduleOf(input.provider);
    const settings = this.providerSettings(input.provider);
    let account;
    try {
      account = await module.identify(providerClient(module, settings, input.credentials, { service: SERVICE, accountKey: `new:${who.orgId}` }));
    } catch (error) {
      throw providerFailure(error);
    }
    return db.transaction().execute(async (trx) => {
      const existing = await trx
        .selectFrom('platformConnections')
        .select('id')
        .where('orgId', '=', who.orgId)
        .where('brandId', '=', input.brandId)
        .where('provider', '=', input.provider)
        .where('accountId', '=', account.id)
        .executeTakeFirst();
      const values = {
        accountName: account.name,
        accountUrl: account.url ?? null,
        sandbox: settings.sandbox,
        scopes: input.tokens?.scopes ?? [],
        tokenExpiresAt: input.tokens?.expiresAt ?? null,
        health: 'HEALTHY' as const,
        lastErrorCode: null,
        lastError: null,
        consecutiveFailures: 0,
        lastCheckedAt: new Date(),
        nextCheckAt: new Date(Date.now() + this.settings.checkIntervalSeconds * 1000),
        updatedAt: new Date(),
      };
      // The id is chosen here because it is the sealed values' associated data.
      const id = existing?.id ?? randomUUID();
      const secrets = this.sealed(id, input.credentials, input.tokens?.refreshToken);
      const row = existing
        ? await trx.updateTable('platformConnections').set({ ...values, ...secrets, createdBy: who.userId }).where('id', '=', id).returningAll().executeTakeFirstOrThrow()
        : await trx
            .insertInto('platformConnections')
            .values({
              ...values,
              ...secrets,
              id,
              orgId: who.orgId,
              brandId: input.brandId,
              provider: input.provider,
              category: module.category,
              authKind: input.credentials.kind,
              accountId: account.id,
              createdBy: who.userId,
            })
            .returningAll()
            .executeTakeFirstOrThrow();
      await events.record(trx, 'connection.connected', who.orgId, {
        connectionId: row.id,
        brandId: row.brandId,
        provider: row.provider,
        category: module.category,
        accountId: row.accountId,
        accountName: row.accountName,
        sandbox: row.sandbox,
      });
      return row;
    });
  }

  /** A connection's credentials and refresh token, sealed under the current key for its row. */
  private sealed(id: string, credentials: Credentials, refreshToken: string | undefined) {
    return {
      credentialsSealed: this.settings.secrets.seal(JSON.stringify(credentials), credentialsContext(id)),
      refreshTokenSealed: refreshToken ? this.settings.secrets.seal(refreshToken, refreshContext(id)) : null,
    };
  }

  /** The connection's credentials, opened; sealed again under the current key when an old one sealed them. */
  private async credentials(db: Kysely<DB>, row: PlatformConnectionRow): Promise<{ credentials: Credentials; refreshToken?: string }> {
    const secrets = this.settings.secrets;
    const credentials = JSON.parse(secrets.open(row.credentialsSealed, credentialsContext(row.id))) as Credentials;
    const refreshToken = row.refreshTokenSealed ? secrets.open(row.refreshTokenSealed, refreshContext(row.id)) : undefined;
    if (secrets.needsResealing(row.credentialsSealed) || (row.refreshTokenSealed && secrets.needsResealing(row.refreshTokenSealed))) {
      await db.updateTable('platformConnections').set(this.sealed(row.id, credentials, refreshToken)).where('id', '=', row.id).execute();
    }
    return { credentials, refreshToken };
  }

  private async refresh(db: Kysely<DB>, row: PlatformConnectionRow, refreshToken: string): Promise<Credentials> {
    const id = providerIdOf(row.provider);
    const { endpoints, client } = this.endpoints(id);
    const tokens = await refreshTokens(anonymousClient(moduleOf(id), this.providerSettings(id), SERVICE), endpoints, client, refreshToken);
    const credentials: Credentials = { kind: 'oauth2', accessToken: tokens.accessToken };
    await db
      .updateTable('platformConnections')
      .set({
        // Providers that rotate refresh tokens send a new one; the others keep the old one valid.
        ...this.sealed(row.id, credentials, tokens.refreshToken ?? refreshToken),
        tokenExpiresAt: tokens.expiresAt ?? null,
        updatedAt: new Date(),
      })
      .where('id', '=', row.id)
      .execute();
    return credentials;
  }

  /**
   * Refreshes the token when it expires soon, then asks the provider who the account is. HEALTHY on success;
   * DEGRADED while the provider fails or rate-limits (it may come back); BROKEN when it refuses the credentials or
   * the account, which publishes connection.failed once.
   */
  async check(db: Kysely<DB>, events: EventRecorder<DB>, row: PlatformConnectionRow): Promise<PlatformConnectionRow> {
    const id = providerIdOf(row.provider);
    const module = moduleOf(id);
    let health: ConnectionHealth = 'HEALTHY';
    let failure: { code: string; message: string } | undefined;
    try {
      let { credentials, refreshToken } = await this.credentials(db, row);
      const expiresSoon = row.tokenExpiresAt && row.tokenExpiresAt.getTime() - Date.now() <= this.settings.refreshAheadSeconds * 1000;
      let refreshed = false;
      if (refreshToken && expiresSoon) {
        credentials = await this.refresh(db, row, refreshToken);
        refreshed = true;
      }
      const identify = (c: Credentials) => module.identify(providerClient(module, this.providerSettings(id), c, { service: SERVICE, accountKey: row.id }));
      try {
        await identify(credentials);
      } catch (error) {
        // A token refused before its time (revoked, rotated elsewhere): one refresh, then one more try.
        if (!(error instanceof ProviderError && error.kind === 'AUTH_EXPIRED' && refreshToken && !refreshed)) throw error;
        credentials = await this.refresh(db, row, refreshToken);
        refreshToken = undefined;
        await identify(credentials);
      }
    } catch (error) {
      if (error instanceof ProviderError) {
        health = error.kind === 'AUTH_EXPIRED' || error.kind === 'PERMANENT' ? 'BROKEN' : 'DEGRADED';
        failure = { code: error.code, message: error.message };
      } else if (error instanceof DependencyUnavailableError) {
        health = 'DEGRADED';
        failure = { code: error.code, message: error.message };
      } else {
        throw error;
      }
    }
    return db.transaction().execute(async (trx: Transaction<DB>) => {
      const updated = await trx
        .updateTable('platformConnections')
        .set((eb) => ({
          health,
          lastErrorCode: failure?.code ?? null,
          lastError: failure?.message ?? null,
          consecutiveFailures: failure ? eb('consecutiveFailures', '+', 1) : 0,
          lastCheckedAt: new Date(),
          nextCheckAt: new Date(Date.now() + this.settings.checkIntervalSeconds * 1000),
          updatedAt: new Date(),
        }))
        .where('id', '=', row.id)
        .returningAll()
        .executeTakeFirst();
      if (!updated) throw notFound('Platform connection'); // disconnected meanwhile
      if (health === 'BROKEN' && row.health !== 'BROKEN' && failure) {
        await events.record(trx, 'connection.failed', row.orgId, {
          connectionId: row.id,
          brandId: row.brandId,
          provider: row.provider,
          reason: failure.code,
          message: failure.message,
        });
      }
      return updated;
    });
  }

  /** Revokes at the provider where it offers that (best effort: the connection goes either way), then deletes. */
  async disconnect(db: Kysely<DB>, row: PlatformConnectionRow): Promise<{ revoked: boolean }> {
    const id = providerIdOf(row.provider);
    const module = moduleOf(id);
    let revoked = false;
    if (module.auth.kind === 'oauth2' && this.configured(id)) {
      try {
        const { credentials, refreshToken } = await this.credentials(db, row);
        const { endpoints, client } = this.endpoints(id);
        const http = anonymousClient(module, this.providerSettings(id), SERVICE);
        if (refreshToken) revoked = await revokeToken(http, endpoints, client, refreshToken, 'refresh_token');
        if (credentials.kind === 'oauth2') revoked = (await revokeToken(http, endpoints, client, credentials.accessToken, 'access_token')) || revoked;
      } catch {
        revoked = false;
      }
    }
    await db.deleteFrom('platformConnections').where('id', '=', row.id).execute();
    return { revoked };
  }

  /**
   * Claims the connections due for a check (or whose token expires soon), at most `limit`, moving their next check
   * ahead so that another instance does not take them too.
   */
  async claimDue(db: Kysely<DB>, limit: number): Promise<PlatformConnectionRow[]> {
    const now = new Date();
    const refreshBy = new Date(now.getTime() + this.settings.refreshAheadSeconds * 1000);
    return db.transaction().execute(async (trx) => {
      const due = await trx
        .selectFrom('platformConnections')
        .select('id')
        .where((eb) => eb.or([eb('nextCheckAt', '<=', now), eb.and([eb('tokenExpiresAt', '<=', refreshBy), eb('refreshTokenSealed', 'is not', null), eb('health', '!=', 'BROKEN')])]))
        .orderBy('nextCheckAt')
        .limit(limit)
        .forUpdate()
        .skipLocked()
        .execute();
      if (due.length === 0) return [];
      return trx
        .updateTable('platformConnections')
        .set({ nextCheckAt: new Date(now.getTime() + this.settings.checkIntervalSeconds * 1000) })
        .where('id', 'in', due.map((d) => d.id))
        .returningAll()
        .execute();
    });
  }
}
