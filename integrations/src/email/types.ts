/** An email marketing platform: audiences, campaigns (create, content, send) and their reports. */
export interface Page<T> {
  items: T[];
  /** Pass back to get the next page; absent on the last page. */
  nextCursor?: string;
}

export interface Audience {
  id: string;
  name: string;
  memberCount: number;
}

export interface EmailCampaignInput {
  audienceId: string;
  subject: string;
  previewText?: string;
  /** The campaign's internal name at the provider. */
  title: string;
  fromName: string;
  replyTo: string;
}

export interface EmailCampaign {
  id: string;
  status: string;
  /** Where the campaign can be seen at the provider, when it says. */
  url?: string;
}

export interface EmailReport {
  sent: number;
  opens: number;
  uniqueOpens: number;
  clicks: number;
  bounces: number;
  unsubscribes: number;
}

export interface EmailAdapter {
  listAudiences(cursor?: string): Promise<Page<Audience>>;
  createCampaign(input: EmailCampaignInput): Promise<EmailCampaign>;
  setContent(campaignId: string, content: { html: string; plainText?: string }): Promise<void>;
  send(campaignId: string): Promise<void>;
  report(campaignId: string): Promise<EmailReport>;
}
