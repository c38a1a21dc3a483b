/**
 * An ad platform: campaigns, ad sets (Meta) or ad groups (Google), ads; pause, resume; insights. Money is integer
 * cents in the ad account's currency. `account` is the ad account (Meta 'act_<id>' without the prefix) or the
 * customer id (Google Ads, digits only).
 */
export type AdObjective = 'AWARENESS' | 'TRAFFIC' | 'ENGAGEMENT' | 'LEADS' | 'SALES';
export type AdLevel = 'CAMPAIGN' | 'AD_GROUP' | 'AD';

export interface AdCampaignInput {
  name: string;
  objective: AdObjective;
  dailyBudgetCents: number;
  /** Created paused unless said otherwise, so nothing spends before it is reviewed. */
  status?: 'ACTIVE' | 'PAUSED';
}

export interface AdGroupInput {
  campaignId: string;
  name: string;
  /** Upper bid per result, when the platform takes one. */
  bidCents?: number;
  targeting: { countries: string[]; ageMin?: number; ageMax?: number };
  startAt?: Date;
  endAt?: Date;
}

export interface AdInput {
  adGroupId: string;
  name: string;
  headline: string;
  body: string;
  linkUrl: string;
  imageUrl?: string;
}

export interface AdInsights {
  impressions: number;
  clicks: number;
  spendCents: number;
  conversions: number;
}

export interface AdsAdapter {
  createCampaign(account: string, input: AdCampaignInput): Promise<{ id: string }>;
  createAdGroup(account: string, input: AdGroupInput): Promise<{ id: string }>;
  createAd(account: string, input: AdInput): Promise<{ id: string }>;
  pause(account: string, level: AdLevel, id: string): Promise<void>;
  resume(account: string, level: AdLevel, id: string): Promise<void>;
  insights(account: string, level: AdLevel, id: string, range: { since: string; until: string }): Promise<AdInsights>;
}
