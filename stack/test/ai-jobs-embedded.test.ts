/**
 * AI generation on the embedded defaults of `npm start` (PGlite, in-process bus, in-memory cache, no provider): a job
 * goes QUEUED → SUCCEEDED through creation's work queue, its result comes from the offline generator and says so,
 * the same request again is answered from the cache, and input errors name their field. The PostgreSQL + RabbitMQ
 * suite (ai-jobs.test.ts) covers the rest.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { gql, gqlOk, registerTenant, waitFor } from '@umt/test-support';
import type { Stack } from '../src/index';
import { startTestStack } from './support/stack';

const JOB_FIELDS = 'id task status progress attempts promptVersion result error { code message } provider model offline cached inputTokens outputTokens costMicroUsd pollAfterSeconds';

const CONTENT_INPUT = {
  brand: { name: 'Acme Coffee', voice: 'warm and plain-spoken', wordsToUse: ['freshly roasted'], wordsToAvoid: ['cheap'], audience: 'office managers' },
  channel: 'LINKEDIN',
  brief: 'Announce our new office subscription: beans delivered every Monday.',
  keywords: ['office coffee'],
};

interface Job {
  id: string;
  task: string;
  status: string;
  progress: number;
  attempts: number;
  promptVersion: string;
  result: { title: string; body: string; hashtags: string[] } | null;
  error: { code: string; message: string } | null;
  provider: string | null;
  offline: boolean;
  cached: boolean;
  costMicroUsd: number;
  pollAfterSeconds: number | null;
}

describe('AI generation jobs on the embedded defaults', () => {
  let stack: Stack;
  let token: string;

  beforeAll(async () => {
    stack = await startTestStack({ database: 'pglite' });
    token = (await registerTenant(stack.url, 'Embedded AI')).token;
  }, 60_000);

  afterAll(() => stack?.stop(), 30_000);

  async function start(input: unknown): Promise<Job> {
    const data = await gqlOk<{ startGeneration: Job }>(stack.url, `mutation ($i: JSON!) { startGeneration(input: { task: CONTENT, input: $i }) { ${JOB_FIELDS} } }`, { i: input }, token);
    return data.startGeneration;
  }

  async function finished(id: string): Promise<Job> {
    let job: Job | null = null;
    await waitFor(`job ${id} to finish`, async () => {
      job = (await gqlOk<{ generationJob: Job }>(stack.url, `query ($id: ID!) { generationJob(id: $id) { ${JOB_FIELDS} } }`, { id }, token)).generationJob;
      return job.status === 'SUCCEEDED' || job.status === 'FAILED';
    }, 15_000);
    return job!;
  }

  it('runs a job to SUCCEEDED with the offline generator, marked offline, then serves the same request from the cache', async () => {
    const queued = await start(CONTENT_INPUT);
    expect(queued).toMatchObject({ task: 'CONTENT', status: 'QUEUED', progress: 0, result: null, pollAfterSeconds: 2 });
    expect(queued.promptVersion).toMatch(/^content@/);
    const done = await finished(queued.id);
    expect(done).toMatchObject({ status: 'SUCCEEDED', progress: 100, attempts: 1, offline: true, cached: false, provider: 'offline', costMicroUsd: 0, pollAfterSeconds: null, error: null });
    expect(done.result?.body).toContain('freshly roasted');

    // The same input in another key order is the same request.
    const again = await finished((await start(Object.fromEntries(Object.entries(CONTENT_INPUT).reverse()))).id);
    expect(again).toMatchObject({ status: 'SUCCEEDED', cached: true, result: done.result });

    const list = await gqlOk<{ generationJobs: { nodes: { id: string }[] } }>(stack.url, `{ generationJobs(first: 5, status: SUCCEEDED) { nodes { id } } }`, {}, token);
    expect(list.generationJobs.nodes.map((n) => n.id)).toEqual([again.id, done.id]);
  });

  it('refuses an input that does not match the task, naming the field, and makes no job', async () => {
    const response = await gql(stack.url, `mutation ($i: JSON!) { startGeneration(input: { task: CONTENT, input: $i }) { id } }`, { i: { ...CONTENT_INPUT, channel: 'FAX' } }, token);
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.channel' });
    const list = await gqlOk<{ generationJobs: { nodes: unknown[] } }>(stack.url, `{ generationJobs(first: 20, status: QUEUED) { nodes { id } } }`, {}, token);
    expect(list.generationJobs.nodes).toHaveLength(0);
  });
});
