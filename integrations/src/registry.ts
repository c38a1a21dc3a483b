/** Every provider the platform speaks to: adding one is one file in its category and one line here. */
import type { AdsAdapter } from './ads/types';
import { googleAds } from './ads/google-ads';
import { metaAds } from './ads/meta';
import type { CmsAdapter } from './cms/types';
import { wordpress } from './cms/wordpress';
import { mailchimp } from './email/mailchimp';
import type { EmailAdapter } from './email/types';
import type { ProviderModule } from './provider';
import { facebook } from './social/facebook';
import { linkedin } from './social/linkedin';
import type { SocialAdapter } from './social/types';
import { x } from './social/x';

export const PROVIDERS = {
  linkedin,
  x,
  facebook,
  mailchimp,
  wordpress,
  meta_ads: metaAds,
  google_ads: googleAds,
} satisfies Record<string, ProviderModule>;

export type ProviderId = keyof typeof PROVIDERS;

export const PROVIDER_IDS = Object.keys(PROVIDERS) as ProviderId[];

/** The adapter interface of each category. */
export interface AdapterOf {
  SOCIAL: SocialAdapter;
  EMAIL: EmailAdapter;
  CMS: CmsAdapter;
  ADS: AdsAdapter;
}

export function isProviderId(value: string): value is ProviderId {
  return Object.prototype.hasOwnProperty.call(PROVIDERS, value);
}
