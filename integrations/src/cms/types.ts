/** A content management system: posts (create, schedule, update, delete) and media. */
import type { Page } from '../email/types';

export interface CmsPostInput {
  title: string;
  /** HTML. */
  content: string;
  excerpt?: string;
  slug?: string;
  /** Publish now, keep as a draft, or (with publishAt) schedule. */
  status: 'draft' | 'publish';
  featuredMediaId?: string;
}

export interface CmsPost {
  id: string;
  status: 'draft' | 'publish' | 'future' | 'pending' | 'private' | 'trash';
  url?: string;
  /** When it is (or was) published. */
  publishAt?: Date;
}

export interface CmsMedia {
  id: string;
  url: string;
}

export interface CmsAdapter {
  createPost(input: CmsPostInput): Promise<CmsPost>;
  /** Schedules a post to publish at `at` (in the future). */
  schedulePost(id: string, at: Date): Promise<CmsPost>;
  updatePost(id: string, changes: Partial<CmsPostInput>): Promise<CmsPost>;
  /** Moves to the trash, or deletes for good with `force`. */
  deletePost(id: string, options?: { force?: boolean }): Promise<void>;
  uploadMedia(file: { filename: string; contentType: string; data: Uint8Array; altText?: string }): Promise<CmsMedia>;
  listPosts(cursor?: string): Promise<Page<CmsPost>>;
}
