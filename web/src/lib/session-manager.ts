import type { ApolloClient } from '@apollo/client';
import { WebLogoutDocument, WebRefreshSessionDocument, type SessionFieldsFragment } from '../generated/graphql';
import type { TokenSource } from './apollo';
import { renewalDelay, sessions, type Session } from './session';

/** A session as the API returns it (any operation that logs in). */
export function toSession(payload: SessionFieldsFragment): Session {
  return {
    accessToken: payload.accessToken,
    accessTokenExpiresAt: payload.accessTokenExpiresAt,
    refreshToken: payload.refreshToken,
    refreshTokenExpiresAt: payload.refreshTokenExpiresAt,
    role: payload.role,
    user: { id: payload.user.id, name: payload.user.name },
    organization: { id: payload.organization.id, name: payload.organization.name },
  };
}

/**
 * Keeps the access token fresh: renews it a minute before it expires (a timer), and before any operation that would
 * send an expired one. One renewal at a time across tabs (Web Locks): a refresh token works once, and using it twice
 * ends the session, so a tab that waited re-reads the session another tab just renewed instead of renewing again.
 */
export class SessionManager implements TokenSource {
  private client: ApolloClient | undefined;
  private renewing: Promise<Session | null> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    sessions.subscribe(() => this.schedule());
    this.schedule();
  }

  attach(client: ApolloClient): void {
    this.client = client;
  }

  async accessToken(): Promise<string | null> {
    const session = sessions.get();
    if (!session) return null;
    if (Date.parse(session.accessTokenExpiresAt) - Date.now() > 15_000) return session.accessToken;
    return (await this.renew(session))?.accessToken ?? null;
  }

  async renewAfterRefusal(): Promise<boolean> {
    const session = sessions.get();
    return session ? Boolean(await this.renew(session)) : false;
  }

  login(session: Session): void {
    sessions.set(session);
  }

  async logout(): Promise<void> {
    const session = sessions.get();
    sessions.set(null);
    await this.client?.clearStore();
    if (session && this.client) {
      await this.client.mutate({ mutation: WebLogoutDocument, variables: { refreshToken: session.refreshToken }, context: { anonymous: true } }).catch(() => undefined);
    }
  }

  private renew(stale: Session): Promise<Session | null> {
    this.renewing ??= this.withLock(async () => {
      // Another tab may have renewed while this one waited for the lock.
      const current = sessions.get();
      if (!current) return null;
      if (current.refreshToken !== stale.refreshToken) return current;
      try {
        if (!this.client) return current;
        const result = await this.client.mutate({ mutation: WebRefreshSessionDocument, variables: { refreshToken: current.refreshToken }, context: { anonymous: true } });
        const renewed = result.data ? toSession(result.data.refreshSession) : null;
        sessions.set(renewed);
        return renewed;
      } catch {
        sessions.set(null);
        return null;
      }
    }).finally(() => {
      this.renewing = undefined;
    });
    return this.renewing;
  }

  private async withLock<T>(run: () => Promise<T>): Promise<T> {
    if (typeof navigator !== 'undefined' && 'locks' in navigator) return navigator.locks.request('umt-session-renewal', run);
    return run();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    const session = sessions.get();
    if (!session) return;
    this.timer = setTimeout(() => void this.renew(session), renewalDelay(session));
  }
}
