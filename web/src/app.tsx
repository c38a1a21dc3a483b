import type { ApolloClient } from '@apollo/client';
import { ApolloProvider } from '@apollo/client/react';
import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { AuthProvider } from './auth/auth-context';
import type { SessionManager } from './lib/session-manager';
import { routes } from './routes';
import { theme } from './theme';

const router = createBrowserRouter(routes);

export function App({ client, manager }: { client: ApolloClient; manager: SessionManager }) {
  return (
    <MantineProvider theme={theme} defaultColorScheme="light">
      <Notifications position="top-right" />
      <ApolloProvider client={client}>
        <AuthProvider manager={manager}>
          <RouterProvider router={router} />
        </AuthProvider>
      </ApolloProvider>
    </MantineProvider>
  );
}
