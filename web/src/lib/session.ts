import type { Role } from '../generated/graphql';

/** Who is logged in, and the tokens that say so. */
export interface Session {
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
  refreshTokenExpiresAt: string;
  role: Role;
  user: { id: string; name: string };
  organization: { id: string; name: string };
}

const KEY = 'umt.session';
type Listener = (session: Session | null) => void;

/**
 * The session, kept in localStorage so a reload (or another tab) stays logged in. Tabs hear each other's changes
 * through the storage event, so a token refreshed in one tab is the one every tab uses: a refresh token works once.
 */
class SessionStore {
  private current: Session | null = read();
  private readonly listeners = new Set<Listener>();

  constructor() {
    window.addEventListener('storage', (event) => {
      if (event.key !== KEY) return;
      this.current = read();
      this.emit();
    });
  }

  get(): Session | null {
    return this.current;
  }

  set(session: Session | null): void {
    this.current = session;
    if (session) localStorage.setItem(KEY, JSON.stringify(session));
    else localStorage.removeItem(KEY);
    this.emit();
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(): void {
    for (const listener of this.listeners) listener(this.current);
  }
}

function read(): Session | null {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return null;
    const session = JSON.parse(raw) as Session;
    return Date.parse(session.refreshTokenExpiresAt) > Date.now() ? session : null;
  } catch {
    return null;
  }
}

export const sessions = new SessionStore();

/** Milliseconds until the access token should be renewed: a minute before it expires (or at 80% of a short life). */
export function renewalDelay(session: Session, now = Date.now()): number {
  const expires = Date.parse(session.accessTokenExpiresAt);
  const margin = Math.min(60_000, Math.max(5_000, (expires - now) * 0.2));
  return Math.max(0, expires - now - margin);
}
