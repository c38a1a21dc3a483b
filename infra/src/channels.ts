/** Where content is published; every subgraph's `enum Channel` lists exactly these (shared-enums.ts checks it at start). */
export const CHANNELS = ['BLOG', 'EMAIL', 'LINKEDIN', 'X', 'FACEBOOK', 'INSTAGRAM', 'TIKTOK'] as const;
export type Channel = (typeof CHANNELS)[number];
