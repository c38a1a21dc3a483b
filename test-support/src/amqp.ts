import { retryDelays, SUBGRAPHS, type RetryPolicy } from '@umt/infra';
import { connect, type Channel, type ChannelModel } from 'amqplib';
import { sleep } from './wait';

/** The machine's RabbitMQ; tests fail, never skip, when it is not running. */
export const AMQP_URL = process.env.TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/** Runs a broker command on a fresh connection, retrying (bounded) while the broker is unreachable. */
async function withBrokerChannel<T>(run: (channel: Channel) => Promise<T>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let connection: ChannelModel | undefined;
    try {
      connection = await connect(AMQP_URL);
      const channel = await connection.createChannel();
      return await run(channel);
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(500);
    } finally {
      await connection?.close().catch(() => undefined);
    }
  }
}

/** Messages ready in a queue. */
export async function queueDepth(queue: string): Promise<number> {
  return withBrokerChannel(async (channel) => (await channel.checkQueue(queue)).messageCount);
}

/** Publishes a raw body to an exchange, as a misbehaving publisher would (no envelope checks). */
export async function publishRaw(exchange: string, routingKey: string, body: Buffer | string, headers: Record<string, string> = {}): Promise<void> {
  await withBrokerChannel(async (channel) => {
    channel.publish(exchange, routingKey, Buffer.isBuffer(body) ? body : Buffer.from(body), { persistent: true, headers });
    // A plain channel has no confirms: a round trip after the publish proves the broker took it.
    await channel.checkExchange(exchange);
  });
}

/**
 * The consumers of a whole stack, as queue owners: each subgraph's event queue, and creation's work queue for AI
 * generations (`creation.ai-jobs`).
 */
export const STACK_QUEUE_OWNERS: string[] = [...SUBGRAPHS.map((s) => s.name), 'creation.ai-jobs'];

/** Deletes what the tests declared: each service's queues (main, retries, dead) and the exchange. */
export async function deleteTopology(exchange: string, prefix: string, services: string[], policy: RetryPolicy): Promise<void> {
  await withBrokerChannel(async (channel) => {
    for (const service of services) {
      const queue = `${prefix}${service}`;
      for (const name of [queue, `${queue}.dead`, ...retryDelays(policy).map((ms) => `${queue}.retry.${ms}`)]) {
        await channel.deleteQueue(name);
      }
    }
    await channel.deleteExchange(exchange);
  });
}
