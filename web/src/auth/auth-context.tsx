import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { Role } from '../generated/graphql';
import { sessions, type Session } from '../lib/session';
import { toSession, type SessionManager } from '../lib/session-manager';

/** Who may do what (the README's access matrix): the app offers only what the role allows. */
export const ROLES = {
  admins: ['OWNER', 'ADMIN'],
  brandEditors: ['OWNER', 'ADMIN', 'BRAND_MANAGER'],
  contentEditors: ['OWNER', 'ADMIN', 'BRAND_MANAGER', 'CONTENT_CREATOR'],
} as const satisfies Record<string, readonly Role[]>;

interface Auth {
  session: Session | null;
  manager: SessionManager;
}

const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ manager, children }: { manager: SessionManager; children: ReactNode }) {
  const session = useSyncExternalStore((listener) => sessions.subscribe(listener), () => sessions.get());
  return <AuthContext.Provider value={{ session, manager }}>{children}</AuthContext.Provider>;
}

export function useAuth() {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth outside AuthProvider');
  return {
    session: auth.session,
    login: (payload: Parameters<typeof toSession>[0]) => auth.manager.login(toSession(payload)),
    logout: () => auth.manager.logout(),
  };
}

/** The logged-in session (pages behind RequireSession only). */
export function useSession(): Session {
  const { session } = useAuth();
  if (!session) throw new Error('useSession without a session');
  return session;
}

/** Whether the caller's role is one of `roles`. */
export function useCan(roles: readonly Role[]): boolean {
  const { session } = useAuth();
  return Boolean(session && roles.includes(session.role));
}
