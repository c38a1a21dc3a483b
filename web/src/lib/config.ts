/** What the gateway tells the app at start (GET /app-config.json): where to send spans, if anywhere. */
export interface AppConfig {
  /** OTLP/HTTP traces endpoint for the browser's spans (e.g. the collector's /v1/traces); null: spans are not exported. */
  otlpTracesEndpoint: string | null;
  /** The service name the browser's spans carry. */
  serviceName: string;
}

const DEFAULTS: AppConfig = { otlpTracesEndpoint: null, serviceName: 'web' };

export async function loadAppConfig(): Promise<AppConfig> {
  try {
    const response = await fetch('/app-config.json', { headers: { accept: 'application/json' } });
    if (!response.ok) return DEFAULTS;
    const body = (await response.json()) as Partial<AppConfig>;
    return { ...DEFAULTS, ...body };
  } catch {
    return DEFAULTS;
  }
}
