import '@mantine/core/styles.css';
import '@mantine/charts/styles.css';
import '@mantine/notifications/styles.css';
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { createApolloClient } from './lib/apollo';
import { loadAppConfig } from './lib/config';
import { SessionManager } from './lib/session-manager';
import { startTelemetry } from './lib/telemetry';

const config = await loadAppConfig();
startTelemetry(config);
const manager = new SessionManager();
const client = createApolloClient(manager);
manager.attach(client);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App client={client} manager={manager} />
  </StrictMode>,
);
