import { ConfigError, parseEnv, readSecretKeyring, SecretBox, type CommonConfig } from '@umt/infra';
import { readIntegrationConfig, type IntegrationConfig } from '@umt/integrations';
import { z } from 'zod';

/** Variables of platform connections, each documented in .env.example. */
export const connectionConfigShape = {
  /** Where providers send a person back after consent: the gateway's callback by default. */
  INTEGRATION_REDIRECT_URI: z.string().default('http://127.0.0.1:4000/integrations/oauth/callback'),
  /** How often each connection is checked (a cheap "who am I" call at the provider). */
  CONNECTION_CHECK_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
  /** Access tokens expiring within this are refreshed. */
  CONNECTION_REFRESH_AHEAD_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
  /** How often the service looks for connections due for a check or a refresh. */
  CONNECTION_SCAN_SECONDS: z.coerce.number().int().min(1).max(3_600).default(30),
};

export interface ConnectionSettings {
  integrations: IntegrationConfig;
  secrets: SecretBox;
  redirectUri: string;
  checkIntervalSeconds: number;
  refreshAheadSeconds: number;
  scanSeconds: number;
}

export function readConnectionSettings(config: CommonConfig): ConnectionSettings {
  const raw = parseEnv(connectionConfigShape, config.env);
  try {
    new URL(raw.INTEGRATION_REDIRECT_URI);
  } catch {
    throw new ConfigError([`INTEGRATION_REDIRECT_URI: expected a URL (got ${JSON.stringify(raw.INTEGRATION_REDIRECT_URI)})`]);
  }
  return {
    integrations: readIntegrationConfig(config.env),
    secrets: new SecretBox(readSecretKeyring(config.env, config.nodeEnv)),
    redirectUri: raw.INTEGRATION_REDIRECT_URI,
    checkIntervalSeconds: raw.CONNECTION_CHECK_INTERVAL_SECONDS,
    refreshAheadSeconds: raw.CONNECTION_REFRESH_AHEAD_SECONDS,
    scanSeconds: raw.CONNECTION_SCAN_SECONDS,
  };
}
