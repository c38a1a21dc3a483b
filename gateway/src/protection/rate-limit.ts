import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { callerKey } from './authenticated-caller';
import type { ProtectionConfig } from './config';
import { HttpGraphQLError } from './http-errors';

/**
 * Limits how many requests each caller (see callerKey) makes to the routes of `scope`: RATE_LIMIT_MAX per
 * RATE_LIMIT_WINDOW_SECONDS. With Redis the count is shared by every gateway instance; without, it is per process.
 * Over the limit: 429, Retry-After, RATE_LIMITED. If Redis fails or does not answer within REDIS_COMMAND_TIMEOUT_MS,
 * requests go through (availability over limiting).
 */
export async function limitRequestRate(scope: FastifyInstance, config: ProtectionConfig, redisUrl: string | undefined): Promise<void> {
  const redis = redisUrl ? await connect(scope, redisUrl, `${config.rateLimitKeyPrefix}gateway`, config.redisCommandTimeoutMs) : undefined;
  await scope.register(fastifyRateLimit, {
    max: config.rateLimitMax,
    timeWindow: config.rateLimitWindowSeconds * 1000,
    keyGenerator: callerKey,
    ...(redis ? { redis, nameSpace: config.rateLimitKeyPrefix } : {}),
    skipOnError: true,
    errorResponseBuilder: (_request, { max, ttl }) => {
      const retryAfterSeconds = Math.ceil(ttl / 1000); // the value of the Retry-After header the plugin sets
      return new HttpGraphQLError(
        429,
        'RATE_LIMITED',
        `Too many requests: at most ${max} every ${config.rateLimitWindowSeconds} seconds. Retry in ${retryAfterSeconds} seconds.`,
        { retryAfterSeconds },
      );
    },
  });
}

/**
 * A Redis client that fails commands at once while Redis is down (no queue) and after `commandTimeoutMs` while it
 * hangs, so a request never waits longer for Redis; it logs an outage once, and closes with the server. Resolves
 * when connected, or when the first attempt failed.
 */
async function connect(scope: FastifyInstance, url: string, name: string, commandTimeoutMs: number): Promise<Redis> {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    commandTimeout: commandTimeoutMs,
    connectTimeout: 2_000,
    connectionName: name.replace(/[^\w:.-]/g, '_'), // CLIENT LIST shows which deployment holds a connection
  });
  let down = false;
  redis.on('error', (error: Error) => {
    if (!down) scope.log.warn({ err: error }, 'rate limit: Redis is unreachable; requests are not limited until it is back');
    down = true;
  });
  redis.on('ready', () => (down = false));
  scope.addHook('onClose', async () => {
    await redis.quit().catch(() => redis.disconnect());
  });
  await new Promise<void>((resolve) => {
    redis.once('ready', resolve);
    redis.once('error', () => resolve());
  });
  return redis;
}
