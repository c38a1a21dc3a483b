import { resolve } from 'node:path';
import { env, parseEnv, readBreakerConfig, readCommonConfig, subgraphUrlVariable, SUBGRAPHS, type BreakerConfig, type CommonConfig, type SubgraphName } from '@umt/infra';
import { z } from 'zod';
import { corsOrigins, corsVariables } from './cors';
import { persistedQueriesConfig, persistedQueryVariables, type PersistedQueriesConfig } from './persisted-queries/config';
import { protectionConfig, protectionVariables, type ProtectionConfig } from './protection/config';
import type { WebAppConfig } from './web-app';

export interface GatewayConfig extends CommonConfig {
  port: number;
  /** The supergraph the gateway serves; any composed supergraph file works. */
  supergraphPath: string;
  /** Per-subgraph URL overrides; subgraphs without one use the URL in the supergraph. */
  subgraphUrls: Partial<Record<SubgraphName, string>>;
  /** Apollo Sandbox on the landing page and introspection; on by default outside production. */
  sandbox: boolean;
  /** How long an API key check is remembered: the bound on how late a revocation takes effect. */
  apiKeyCacheSeconds: number;
  /** Trust X-Forwarded-For from a proxy in front of the gateway when taking the caller's address. */
  trustProxy: boolean;
  /** Query limits, body size and rate limit (gateway/src/protection). */
  protection: ProtectionConfig;
  /** Key prefix of the gateway's shared cache (Apollo's cache: automatic persisted queries). */
  cacheNamespace: string;
  /** Automatic persisted queries and the partner safelist (gateway/src/persisted-queries). */
  persistedQueries: PersistedQueriesConfig;
  /** Origins whose pages may call the gateway (CORS); none means no cross-origin browser access. */
  corsOrigins: string[];
  /** Circuit breaker settings (BREAKER_*), for the breaker in front of each subgraph. */
  breakers: BreakerConfig;
  /** The web app served at `/` (WEB_APP_DIR) and where its browser spans go (WEB_OTLP_TRACES_ENDPOINT). */
  web: WebAppConfig;
}

type Env = Record<string, string | undefined>;

const DEFAULT_SUPERGRAPH = resolve(__dirname, '..', '..', 'schema', 'supergraph.graphql');
const DEFAULT_WEB_APP = resolve(__dirname, '..', '..', 'web', 'dist');

/** Reads the gateway's variables (and the common ones); throws ConfigError naming each bad one. */
export function readGatewayConfig(source: Env = process.env): GatewayConfig {
  const common = readCommonConfig(source);
  const urls = Object.fromEntries(SUBGRAPHS.map(({ name }) => [subgraphUrlVariable(name), env.url(['http', 'https'])]));
  const raw = parseEnv(
    {
      PORT: env.port(4000),
      SUPERGRAPH_PATH: z.string().default(DEFAULT_SUPERGRAPH),
      SANDBOX_ENABLED: z.enum(['true', 'false'], { message: "expected 'true' or 'false'" }).optional(),
      API_KEY_CACHE_SECONDS: z.coerce.number({ message: 'expected a number of seconds' }).int().min(0, 'expected 0 or more seconds').default(2),
      TRUST_PROXY: z.enum(['true', 'false'], { message: "expected 'true' or 'false'" }).default('false'),
      ...urls,
      ...protectionVariables,
      CACHE_NAMESPACE: z.string().default('umt:gateway'),
      ...persistedQueryVariables,
      ...corsVariables,
      WEB_APP_DIR: z.string().optional(),
      WEB_OTLP_TRACES_ENDPOINT: env.url(['http', 'https']),
    },
    source,
  );
  const subgraphUrls: Partial<Record<SubgraphName, string>> = {};
  for (const { name } of SUBGRAPHS) {
    const url = (raw as Record<string, unknown>)[subgraphUrlVariable(name)] as string | undefined;
    if (url) subgraphUrls[name] = url;
  }
  return {
    ...common,
    port: raw.PORT,
    supergraphPath: resolve(raw.SUPERGRAPH_PATH),
    subgraphUrls,
    sandbox: raw.SANDBOX_ENABLED ? raw.SANDBOX_ENABLED === 'true' : common.nodeEnv !== 'production',
    apiKeyCacheSeconds: raw.API_KEY_CACHE_SECONDS,
    trustProxy: raw.TRUST_PROXY === 'true',
    protection: protectionConfig(raw),
    cacheNamespace: raw.CACHE_NAMESPACE,
    persistedQueries: persistedQueriesConfig(raw),
    corsOrigins: corsOrigins(raw, common.nodeEnv),
    breakers: readBreakerConfig(source),
    web: { dir: raw.WEB_APP_DIR?.trim() ? resolve(raw.WEB_APP_DIR) : DEFAULT_WEB_APP, otlpTracesEndpoint: raw.WEB_OTLP_TRACES_ENDPOINT ?? null },
  };
}
