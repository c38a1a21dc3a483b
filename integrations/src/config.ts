/**
 * Where each provider lives and who we are to it, from the environment:
 *   INTEGRATION_<ID>_API_URL, INTEGRATION_<ID>_AUTH_URL   base URLs (default: the real provider's)
 *   INTEGRATION_<ID>_CLIENT_ID, INTEGRATION_<ID>_CLIENT_SECRET   our OAuth2 client at the provider
 *   INTEGRATION_<ID>_<EXTRA>   provider-specific values (e.g. INTEGRATION_GOOGLE_ADS_DEVELOPER_TOKEN)
 * <ID> is the provider id in capitals (LINKEDIN, X, FACEBOOK, MAILCHIMP, WORDPRESS, META_ADS, GOOGLE_ADS).
 * INTEGRATION_<ID>_SANDBOX=true marks the URLs as the bundled fake's (`npm start -- --sandbox` sets it with them):
 * that provider's connections are sandbox connections, and say so.
 */
import { ConfigError } from '@umt/infra';
import type { ProviderModule, ProviderSettings } from './provider';
import { PROVIDER_IDS, PROVIDERS, type ProviderId } from './registry';

type Env = Record<string, string | undefined>;

export const envPrefix = (id: string) => `INTEGRATION_${id.toUpperCase()}_`;

/** The variables of one provider (for documentation and the config checks). */
export function providerVariables(module: ProviderModule): string[] {
  const prefix = envPrefix(module.id);
  return ['API_URL', 'AUTH_URL', 'CLIENT_ID', 'CLIENT_SECRET', 'SANDBOX', ...(module.extraSettings ?? [])].map((name) => prefix + name);
}

export interface IntegrationConfig {
  providers: Record<ProviderId, ProviderSettings>;
}

function readUrl(name: string, value: string | undefined, fallback: string, problems: string[]): string {
  const url = value?.trim() || fallback;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error('protocol');
  } catch {
    problems.push(`${name}: expected an http:// or https:// URL (got ${JSON.stringify(url)})`);
  }
  return url.replace(/\/$/, '');
}

/** Reads every provider's settings; throws ConfigError naming each bad variable. */
export function readIntegrationConfig(env: Env = process.env): IntegrationConfig {
  const problems: string[] = [];
  const providers = {} as Record<ProviderId, ProviderSettings>;
  for (const id of PROVIDER_IDS) {
    const module: ProviderModule = PROVIDERS[id];
    const prefix = envPrefix(id);
    const value = (name: string) => env[prefix + name]?.trim() || undefined;
    providers[id] = {
      apiUrl: readUrl(`${prefix}API_URL`, value('API_URL'), module.defaults.apiUrl, problems),
      authUrl: readUrl(`${prefix}AUTH_URL`, value('AUTH_URL'), module.defaults.authUrl ?? module.defaults.apiUrl, problems),
      clientId: value('CLIENT_ID'),
      clientSecret: value('CLIENT_SECRET'),
      extra: Object.fromEntries((module.extraSettings ?? []).map((name) => [name, value(name)])),
      sandbox: value('SANDBOX') === 'true',
    };
  }
  if (problems.length) throw new ConfigError(problems);
  return { providers };
}
