import type { RouteObject } from 'react-router';
import { AppLayout } from './components/app-layout';
import { RequireSession } from './components/require-session';
import { AcceptInvitationPage } from './pages/auth/accept-invitation-page';
import { LoginPage } from './pages/auth/login-page';
import { SignupPage } from './pages/auth/signup-page';
import { VerifyEmailPage } from './pages/auth/verify-email-page';
import { HomePage } from './pages/home-page';
import { NotFoundPage } from './pages/not-found-page';
import { SECTION_ROUTES } from './pages/sections';

/** Every page of the app. */
export const routes: RouteObject[] = [
  { path: '/login', element: <LoginPage /> },
  { path: '/signup', element: <SignupPage /> },
  { path: '/verify-email', element: <VerifyEmailPage /> },
  { path: '/accept-invitation', element: <AcceptInvitationPage /> },
  {
    element: (
      <RequireSession>
        <AppLayout />
      </RequireSession>
    ),
    children: [{ index: true, element: <HomePage /> }, ...SECTION_ROUTES],
  },
  { path: '*', element: <NotFoundPage /> },
];
