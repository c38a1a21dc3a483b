import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** An opaque, unguessable token (256 bits) for refresh tokens, invitations and email verification. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Tokens are stored as sha256: they carry 256 bits of entropy, so a slow hash would add nothing. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64url');
}

export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

const API_KEY_PATTERN = /^(umt_[0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

/** A partner API key: `umt_<12 hex prefix>_<secret>`. The prefix is stored in clear to find the key and show it. */
export function newApiKey(): { key: string; prefix: string } {
  const prefix = `umt_${randomBytes(6).toString('hex')}`;
  return { key: `${prefix}_${newToken()}`, prefix };
}

export function parseApiKey(key: string): { prefix: string } | null {
  const match = API_KEY_PATTERN.exec(key);
  return match?.[1] ? { prefix: match[1] } : null;
}
