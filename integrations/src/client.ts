import { ProviderHttp } from './http';
import type { Credentials, ProviderModule, ProviderSettings } from './provider';

/**
 * An HTTP client of `module` acting with `credentials`: the base URL for them, their headers on every request, rate
 * limits kept per account (`accountKey`, e.g. the connection's id).
 */
export function providerClient(module: ProviderModule, settings: ProviderSettings, credentials: Credentials, options: { service: string; accountKey?: string }): ProviderHttp {
  return new ProviderHttp({
    profile: module.profile,
    service: options.service,
    baseUrl: module.apiBaseUrl?.(settings, credentials) ?? settings.apiUrl,
    authorize: (headers) => module.authorize(headers, credentials, settings),
    accountKey: options.accountKey,
  });
}

/** A client with no credentials (the token endpoint authenticates the client itself). */
export function anonymousClient(module: ProviderModule, settings: ProviderSettings, service: string): ProviderHttp {
  return new ProviderHttp({ profile: module.profile, service, baseUrl: settings.authUrl });
}

/** The adapter of `module` for an account. */
export function adapterFor<A>(module: ProviderModule<A>, settings: ProviderSettings, credentials: Credentials, options: { service: string; accountKey?: string }): A {
  return module.adapter(providerClient(module, settings, credentials, options), settings);
}
