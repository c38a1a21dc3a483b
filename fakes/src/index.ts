/**
 * The fake providers: one file per platform or model API under providers/, each a real HTTP server speaking that API.
 * `startFakeProviders` starts the platforms' on loopback for a test or for `npm start -- --sandbox`.
 */
import type { FakeProvider } from './fake-provider';
import { anthropicFake } from './providers/anthropic';
import { facebookFake } from './providers/facebook';
import { googleAdsFake } from './providers/google-ads';
import { linkedinFake } from './providers/linkedin';
import { mailchimpFake } from './providers/mailchimp';
import { metaAdsFake } from './providers/meta-ads';
import { openAiFake } from './providers/openai';
import { wordpressFake } from './providers/wordpress';
import { xFake } from './providers/x';

export * from './fake-server';
export * from './fake-provider';
export * from './oauth';
export * from './providers/anthropic';
export * from './providers/openai';
export { facebookFake, googleAdsFake, linkedinFake, mailchimpFake, metaAdsFake, wordpressFake, xFake };

export const FAKES = {
  linkedin: linkedinFake,
  x: xFake,
  facebook: facebookFake,
  mailchimp: mailchimpFake,
  wordpress: wordpressFake,
  meta_ads: metaAdsFake,
  google_ads: googleAdsFake,
} satisfies Record<string, () => FakeProvider>;

/** The fake model APIs (OpenAI-compatible chat completions, Anthropic Messages): started by the AI layer's tests. */
export const AI_FAKES = {
  openai: openAiFake,
  anthropic: anthropicFake,
};

export type FakeId = keyof typeof FAKES;

export interface RunningFakes {
  providers: Record<FakeId, FakeProvider>;
  /** Every fake's variables (INTEGRATION_<ID>_API_URL, _AUTH_URL, _CLIENT_ID, _CLIENT_SECRET, ...). */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** Starts the given fakes (all by default) on loopback ports of their own. */
export async function startFakeProviders(ids: FakeId[] = Object.keys(FAKES) as FakeId[], host = '127.0.0.1'): Promise<RunningFakes> {
  const providers = {} as Record<FakeId, FakeProvider>;
  for (const id of ids) {
    const fake = FAKES[id]();
    await fake.server.start(0, host);
    providers[id] = fake;
  }
  // Marked sandbox: connections made through these URLs say they are not real accounts.
  const env = Object.assign({}, ...Object.values(providers).map((p) => ({ ...p.env(), [`INTEGRATION_${p.id.toUpperCase()}_SANDBOX`]: 'true' }))) as Record<string, string>;
  return {
    providers,
    env,
    async stop() {
      await Promise.all(Object.values(providers).map((p) => p.server.stop()));
    },
  };
}
