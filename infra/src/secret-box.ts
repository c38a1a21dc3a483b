/**
 * Secrets at rest (platform tokens, API keys): AES-256-GCM under a key from configuration, with rotation.
 *
 * A sealed value reads `v1.<key id>.<iv>.<tag>.<ciphertext>` (base64url parts). The key id is a hash prefix of the
 * key, so a value names the key that sealed it without revealing it. Opening accepts the current key and every
 * retired one (SECRETS_RETIRED_KEYS); `needsResealing` tells the caller to seal again under the current key, which is
 * how old ciphertexts move to a new key as they are used. The associated data binds a value to where it is stored
 * (e.g. 'platform_connection:<id>:access_token'): a ciphertext copied into another row or column does not open.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ConfigError, parseEnv } from './config';

const VERSION = 'v1';

export interface SecretKeyring {
  current: Buffer;
  retired: Buffer[];
}

/** A key given as 64 hex characters or 44 base64 characters (32 bytes). */
function parseKey(name: string, value: string): Buffer {
  const trimmed = value.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) throw new ConfigError([`${name}: expected 32 bytes as 64 hex or 44 base64 characters (e.g. openssl rand -base64 32)`]);
  return key;
}

export const secretsConfigShape = {
  /** The key new secrets are sealed with. */
  SECRETS_ENCRYPTION_KEY: z.string().optional(),
  /** Comma-separated keys that sealed older values: still opened, resealed under the current key on use. */
  SECRETS_RETIRED_KEYS: z.string().optional(),
};

/** The keyring from the environment; outside production a fixed development key stands in for a missing one. */
export function readSecretKeyring(env: Record<string, string | undefined>, nodeEnv: string): SecretKeyring {
  const raw = parseEnv(secretsConfigShape, env);
  if (!raw.SECRETS_ENCRYPTION_KEY && nodeEnv === 'production') {
    throw new ConfigError(['SECRETS_ENCRYPTION_KEY: required in production (not set)']);
  }
  const current = raw.SECRETS_ENCRYPTION_KEY
    ? parseKey('SECRETS_ENCRYPTION_KEY', raw.SECRETS_ENCRYPTION_KEY)
    : createHash('sha256').update('umt-development-secrets-key-do-not-use-in-production').digest();
  const retired = (raw.SECRETS_RETIRED_KEYS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((k) => parseKey('SECRETS_RETIRED_KEYS', k));
  return { current, retired };
}

const keyId = (key: Buffer) => createHash('sha256').update(key).digest('base64url').slice(0, 8);

export class SecretBox {
  private readonly keys = new Map<string, Buffer>();
  private readonly currentId: string;

  constructor(private readonly keyring: SecretKeyring) {
    this.currentId = keyId(keyring.current);
    for (const key of [keyring.current, ...keyring.retired]) this.keys.set(keyId(key), key);
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keyring.current, iv);
    cipher.setAAD(Buffer.from(context));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, this.currentId, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
  }

  /** Opens a sealed value; throws (without the value) when no known key opens it or it was tampered with. */
  open(sealed: string, context: string): string {
    const [version, id, iv, tag, ciphertext] = sealed.split('.');
    const key = id ? this.keys.get(id) : undefined;
    if (version !== VERSION || !key || !iv || !tag || ciphertext === undefined) throw new Error('sealed secret: unknown format or key');
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    try {
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new Error('sealed secret: authentication failed');
    }
  }

  /** Whether a value was sealed under a retired key and should be sealed again. */
  needsResealing(sealed: string): boolean {
    return sealed.split('.')[1] !== this.currentId;
  }
}
