/** A social platform: publishes posts to the connected account (a member, a page). */
export interface SocialPost {
  text: string;
  /** A link the post shares. */
  link?: string;
}

export interface PublishedPost {
  /** The provider's id of the post (of the first one, for a thread). */
  externalId: string;
  /** Every part's id when the post had to be split (X threads), in order. */
  partIds: string[];
  /** The post's public URL, when the provider gives one. */
  url?: string;
}

export interface SocialAdapter {
  /** The longest text one post may have on this platform (characters). */
  readonly maxLength: number;
  publish(post: SocialPost): Promise<PublishedPost>;
  delete(externalId: string): Promise<void>;
}
