/**
 * AI generation jobs end to end, on the services as separate processes (PostgreSQL, RabbitMQ, Redis), through the
 * gateway, against the fake model APIs (real HTTP servers run by this test): a job QUEUED → RUNNING → SUCCEEDED
 * through creation's work queue, its call's exact tokens and cost, usage by agent and model; the cache of identical
 * requests; one trace from the client's traceparent to the provider request; the fallback to Anthropic; every
 * provider down (FAILED with AI_UNAVAILABLE after the retries, dead-lettered); a worker killed mid-job (the job
 * still ends SUCCEEDED); the monthly budget (refusal with no provider call, one warning event, the metric); and a
 * VIEWER following a job without seeing cost.
 *
 * Order matters: the tests share one organization and one creation process (its breakers, its metrics), and each
 * leaves the fakes as it found them.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { contentSchemaFor, TASKS } from '@umt/ai';
import { AI_FAKES, kept, type AnthropicFake, type OpenAiFake, type OpenAiUsageRecord } from '@umt/fakes';
import {
  AMQP_URL,
  attributeText,
  gql,
  gqlOk,
  isolatedServices,
  metricValue,
  parseMetrics,
  randomName,
  registerTenant,
  sleep,
  startProcess,
  startServices,
  teamWithEveryRole,
  waitFor,
  waitForSpans,
  waitReady,
  SPAN_KIND,
  type GraphQLResponse,
  type OtlpReceiver,
  type RunningServices,
  type ServiceProcess,
  type Tenant,
} from '@umt/test-support';
import { connect, type Channel, type ChannelModel } from 'amqplib';
import { randomBytes } from 'node:crypto';

/** Short, so that a job every provider refuses fails within seconds; known, so that afterAll deletes its queues. */
const RETRY = { maxAttempts: 3, delaysMs: [50, 100, 200] };
const OPENAI_MODEL = 'gpt-4o-mini';
const ANTHROPIC_MODEL = 'claude-sonnet-4-5';
/**
 * USD per million tokens (= micro-USD per token). Fractions, so the rounding up shows; high enough that one content
 * generation costs well over half a cent (about 7,600 micro-USD), so that a budget of a cent or two is reached in two
 * calls (the budget test checks that it is).
 */
const PRICES = { [OPENAI_MODEL]: { input: 9.55, output: 19.15 }, [ANTHROPIC_MODEL]: { input: 3, output: 15 } };
/** The prices in hundredths of a micro-USD per token, for exact integer arithmetic. */
const CENTI_PRICES = { [OPENAI_MODEL]: { input: 955, output: 1915 }, [ANTHROPIC_MODEL]: { input: 300, output: 1500 } };
const LEASE_SECONDS = 2;

const JOB_FIELDS =
  'id task status progress attempts promptVersion result error { code message } provider model offline cached inputTokens outputTokens tokensEstimated costMicroUsd pollAfterSeconds startedAt finishedAt';
const CALL_FIELDS = 'id job { id } agent task provider model outcome inputTokens outputTokens tokensEstimated costMicroUsd priced';
const LINE_FIELDS = 'agent provider model calls cachedAnswers inputTokens outputTokens costMicroUsd allPriced';
const USAGE_QUERY = `query ($m: String) { aiUsage(month: $m) { month budget { month monthlyLimitCents warningPercent isDefault spentMicroUsd state } total { ${LINE_FIELDS} } byAgent { ${LINE_FIELDS} } byModel { ${LINE_FIELDS} } } }`;

/** A piece valid for LinkedIn: what the fakes answer (scripted), so every call's output tokens are the same. */
const CONTENT_OUTPUT = {
  title: 'Office coffee subscription launch',
  body: 'Freshly roasted beans on your desk every Monday: our new office subscription keeps the team going. #OfficeCoffee',
  callToAction: 'Start your subscription',
  hashtags: ['#OfficeCoffee', '#Monday'],
};

/** A content request; `run` (two digits) makes it a request of its own with a prompt of exactly the same length. */
function contentInput(run: number) {
  return {
    brand: { name: 'Acme Coffee', voice: 'warm and plain-spoken', wordsToUse: ['freshly roasted'], wordsToAvoid: ['cheap'], audience: 'office managers' },
    channel: 'LINKEDIN',
    brief: `Announce our new office subscription: beans delivered every Monday. Run ${String(run).padStart(2, '0')}.`,
    keywords: ['office coffee'],
  };
}

interface Job {
  id: string;
  task: string;
  status: 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  progress: number;
  attempts: number;
  promptVersion: string;
  result: unknown;
  error: { code: string; message: string } | null;
  provider: string | null;
  model: string | null;
  offline: boolean;
  cached: boolean;
  inputTokens: number;
  outputTokens: number;
  tokensEstimated: boolean;
  costMicroUsd: number;
  pollAfterSeconds: number | null;
  startedAt: string | null;
  finishedAt: string | null;
}

interface Call {
  id: string;
  job: { id: string } | null;
  agent: string;
  task: string;
  provider: string;
  model: string;
  outcome: string;
  inputTokens: number;
  outputTokens: number;
  tokensEstimated: boolean;
  costMicroUsd: number;
  priced: boolean;
}

interface UsageLine {
  agent: string | null;
  provider: string | null;
  model: string | null;
  calls: number;
  cachedAnswers: number;
  inputTokens: number;
  outputTokens: number;
  costMicroUsd: number;
  allPriced: boolean;
}

interface Usage {
  month: string;
  budget: { month: string; monthlyLimitCents: number; warningPercent: number; isDefault: boolean; spentMicroUsd: number; state: string };
  total: UsageLine;
  byAgent: UsageLine[];
  byModel: UsageLine[];
}

interface Observed {
  type: string;
  body: { id: string; orgId: string; type: string; data: Record<string, unknown> };
}

/** What a call costs at `model`'s price: tokens times price, rounded up to the whole micro-dollar. */
function expectedCost(model: keyof typeof CENTI_PRICES, inputTokens: number, outputTokens: number): number {
  const price = CENTI_PRICES[model];
  const centi = inputTokens * price.input + outputTokens * price.output;
  return Math.floor((centi + 99) / 100);
}

const isFinished = (job: Job) => job.status === 'SUCCEEDED' || job.status === 'FAILED';
const chatCompletions = (fake: OpenAiFake) => fake.server.received('/v1/chat/completions', 'POST');
const anthropicMessages = (fake: AnthropicFake) => fake.server.received('/v1/messages', 'POST');

describe('AI generation jobs across the processes, the broker and the fake model APIs', () => {
  const running: ServiceProcess[] = [];
  const isolated = isolatedServices('umt-test-ai-jobs', RETRY);
  const month = new Date().toISOString().slice(0, 7);
  let openai: OpenAiFake;
  let anthropic: AnthropicFake;
  let services: RunningServices;
  let env: Record<string, string>;
  let receiver: OtlpReceiver;
  let broker: ChannelModel;
  let channel: Channel;
  let owner: Tenant;
  const events: Observed[] = [];

  beforeAll(async () => {
    openai = AI_FAKES.openai();
    anthropic = AI_FAKES.anthropic();
    await openai.server.start();
    await anthropic.server.start();
    const database = await isolated.database();
    receiver = await isolated.receiver();
    env = {
      ...isolated.env({ databaseUrl: database.url, otlpEndpoint: receiver.endpoint }),
      ...openai.env(),
      ...anthropic.env(),
      AI_PROVIDERS: 'openai,anthropic',
      AI_OPENAI_MODEL: OPENAI_MODEL,
      AI_ANTHROPIC_MODEL: ANTHROPIC_MODEL,
      AI_PRICES: JSON.stringify(PRICES),
      AI_JOB_LEASE_SECONDS: String(LEASE_SECONDS),
      AI_CACHE_NAMESPACE: randomName('umt-test-ai-cache'),
      // An open provider breaker (every provider down) lets probes through again soon, for the tests after it.
      BREAKER_OVERRIDES: JSON.stringify({ 'ai:*': { openMs: 2000 } }),
      // The tests poll jobs often; the gateway's rate limit is not what they are about.
      RATE_LIMIT_MAX: '100000',
    };
    services = await startServices(env, running);
    broker = await connect(AMQP_URL);
    channel = await broker.createChannel();
    const { queue } = await channel.assertQueue('', { exclusive: true });
    for (const type of ['generation.requested', 'ai.budget_warning']) await channel.bindQueue(queue, isolated.exchange, type);
    await channel.consume(
      queue,
      (message) => {
        if (message) events.push({ type: message.fields.routingKey, body: JSON.parse(message.content.toString()) as Observed['body'] });
      },
      { noAck: true },
    );
    owner = await registerTenant(services.url, 'Generations Inc');
  }, 120_000);

  afterAll(async () => {
    await channel?.close().catch(() => undefined);
    await broker?.close().catch(() => undefined);
    try {
      await isolated.stop(running);
    } finally {
      await openai?.server.stop();
      await anthropic?.server.stop();
    }
  }, 90_000);

  /** One GraphQL request through the gateway, with extra headers (traceparent). */
  async function post<T>(query: string, variables: Record<string, unknown>, token: string, headers: Record<string, string> = {}): Promise<GraphQLResponse<T>> {
    const response = await fetch(services.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, ...((await response.json()) as Omit<GraphQLResponse<T>, 'status'>) };
  }

  const START = `mutation ($i: JSON!) { startGeneration(input: { task: CONTENT, input: $i }) { ${JOB_FIELDS} } }`;

  async function start(input: unknown, token = owner.token, headers: Record<string, string> = {}): Promise<Job> {
    const response = await post<{ startGeneration: Job }>(START, { i: input }, token, headers);
    expect(response.errors ?? []).toEqual([]);
    return response.data!.startGeneration;
  }

  async function jobOf(id: string, token = owner.token): Promise<Job> {
    return (await gqlOk<{ generationJob: Job }>(services.url, `query ($id: ID!) { generationJob(id: $id) { ${JOB_FIELDS} } }`, { id }, token)).generationJob;
  }

  /** Polls the job until `until` holds (default: finished); `seen` collects every status observed on the way. */
  async function waitJob(id: string, options: { until?: (job: Job) => boolean; timeoutMs?: number; seen?: string[]; token?: string } = {}): Promise<Job> {
    const until = options.until ?? isFinished;
    let last: Job | undefined;
    await waitFor(
      `job ${id} (last seen ${last ? `${last.status}, attempt ${last.attempts}` : 'nothing'})`,
      async () => {
        last = await jobOf(id, options.token);
        if (options.seen && options.seen.at(-1) !== last.status) options.seen.push(last.status);
        return until(last);
      },
      options.timeoutMs ?? 20_000,
      100,
    );
    return last!;
  }

  async function callsOf(jobId: string, token = owner.token): Promise<Call[]> {
    const data = await gqlOk<{ aiCalls: { nodes: Call[] } }>(services.url, `query ($j: ID!) { aiCalls(first: 50, jobId: $j) { nodes { ${CALL_FIELDS} } } }`, { j: jobId }, token);
    return data.aiCalls.nodes;
  }

  async function usage(token = owner.token): Promise<Usage> {
    return (await gqlOk<{ aiUsage: Usage }>(services.url, USAGE_QUERY, { m: month }, token)).aiUsage;
  }

  async function creationMetrics() {
    const response = await fetch(`http://127.0.0.1:${services.ports.creation}/metrics`);
    expect(response.status).toBe(200);
    return parseMetrics(await response.text());
  }

  /** The cost of the first job (what every same-length content request to OpenAI costs): the budget test needs it. */
  let firstCost = 0;
  let firstJob: Job;

  it('runs a CONTENT job QUEUED → RUNNING → SUCCEEDED through RabbitMQ, recording the exact tokens and cost of its call', async () => {
    openai.script({ object: CONTENT_OUTPUT });
    // The call lasts long enough for the polls to see the job RUNNING.
    openai.server.fault({ kind: 'delay', delayMs: 1500, times: 1, pathPrefix: '/v1/chat/completions' });
    const requestsBefore = chatCompletions(openai).length;
    const usageBefore = kept<OpenAiUsageRecord>(openai, 'usage').length;

    const queued = await start(contentInput(1));
    expect(queued).toMatchObject({
      task: 'CONTENT',
      status: 'QUEUED',
      progress: 0,
      attempts: 0,
      result: null,
      error: null,
      provider: null,
      cached: false,
      costMicroUsd: 0,
      pollAfterSeconds: 2,
      promptVersion: TASKS.content.version,
    });
    const seen: string[] = ['QUEUED'];
    const done = await waitJob(queued.id, { seen });
    expect(seen).toEqual(['QUEUED', 'RUNNING', 'SUCCEEDED']);

    // The task message went through the broker's exchange.
    await waitFor('generation.requested on the broker', () => events.some((e) => e.type === 'generation.requested' && e.body.data.jobId === queued.id), 5_000);
    expect(events.find((e) => e.body.data.jobId === queued.id)?.body).toMatchObject({ orgId: owner.orgId, data: { jobId: queued.id, task: 'content' } });

    // One request reached OpenAI, and what it reported is what the job and its call record.
    expect(chatCompletions(openai)).toHaveLength(requestsBefore + 1);
    const reported = kept<OpenAiUsageRecord>(openai, 'usage').slice(usageBefore);
    expect(reported).toHaveLength(1);
    const { prompt_tokens: inputTokens, completion_tokens: outputTokens } = reported[0]!;
    expect(inputTokens).toBeGreaterThan(100);
    expect(outputTokens).toBeGreaterThan(10);
    const cost = expectedCost(OPENAI_MODEL, inputTokens, outputTokens);

    expect(done).toMatchObject({
      status: 'SUCCEEDED',
      progress: 100,
      attempts: 1,
      error: null,
      provider: 'openai',
      model: OPENAI_MODEL,
      offline: false,
      cached: false,
      promptVersion: TASKS.content.version,
      inputTokens,
      outputTokens,
      tokensEstimated: false,
      costMicroUsd: cost,
      pollAfterSeconds: null,
    });
    expect(done.startedAt).not.toBeNull();
    expect(done.finishedAt).not.toBeNull();
    expect(done.result).toEqual(CONTENT_OUTPUT);
    expect(contentSchemaFor('LINKEDIN').zod.safeParse(done.result).success).toBe(true);

    const calls = await callsOf(done.id);
    expect(calls).toEqual([
      {
        id: expect.any(String),
        job: { id: done.id },
        agent: 'creation',
        task: 'CONTENT',
        provider: 'openai',
        model: OPENAI_MODEL,
        outcome: 'success',
        inputTokens,
        outputTokens,
        tokensEstimated: false,
        costMicroUsd: cost,
        priced: true,
      },
    ]);

    const line = { calls: 1, cachedAnswers: 0, inputTokens, outputTokens, costMicroUsd: cost, allPriced: true };
    const report = await usage();
    expect(report).toEqual({
      month,
      budget: { month, monthlyLimitCents: 10_000, warningPercent: 80, isDefault: true, spentMicroUsd: cost, state: 'OK' },
      total: { agent: null, provider: null, model: null, ...line },
      byAgent: [{ agent: 'creation', provider: null, model: null, ...line }],
      byModel: [{ agent: null, provider: 'openai', model: OPENAI_MODEL, ...line }],
    });
    firstCost = cost;
    firstJob = done;
  }, 40_000);

  it('answers the same request again from the cache: cached, no provider call, no cost', async () => {
    const requestsBefore = chatCompletions(openai).length;
    // The same input, its keys in another order.
    const { keywords, ...rest } = contentInput(1);
    const done = await waitJob((await start({ keywords, ...rest })).id);
    expect(done).toMatchObject({ status: 'SUCCEEDED', cached: true, attempts: 1, provider: 'openai', model: OPENAI_MODEL, offline: false, costMicroUsd: 0, inputTokens: 0, outputTokens: 0 });
    expect(done.result).toEqual(firstJob.result);
    expect(chatCompletions(openai)).toHaveLength(requestsBefore);
    expect(await callsOf(done.id)).toEqual([expect.objectContaining({ outcome: 'cached', provider: 'openai', model: OPENAI_MODEL, inputTokens: 0, outputTokens: 0, costMicroUsd: 0 })]);
    const report = await usage();
    expect(report.total).toMatchObject({ calls: 1, cachedAnswers: 1, costMicroUsd: firstCost });
  }, 30_000);

  it("carries the client's trace id from the mutation through the broker to the provider request", async () => {
    openai.script({ object: CONTENT_OUTPUT });
    const traceId = randomBytes(16).toString('hex');
    const traceparent = `00-${traceId}-${randomBytes(8).toString('hex')}-01`;
    const requestsBefore = chatCompletions(openai).length;
    const done = await waitJob((await start(contentInput(2), owner.token, { traceparent })).id);
    expect(done).toMatchObject({ status: 'SUCCEEDED', provider: 'openai' });

    const sent = chatCompletions(openai).slice(requestsBefore);
    expect(sent).toHaveLength(1);
    const header = sent[0]!.headers.traceparent ?? '';
    expect(header).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-0[01]$`));
    const parentSpanId = header.split('-')[2];

    // The spans: creation's consumer span of the task message, and under it the outgoing request the fake received.
    const { consume, client } = await waitForSpans(receiver, 'the consumer and provider-call spans of creation in the trace', (spans) => {
      const inTrace = spans.filter((s) => s.traceId === traceId);
      const consumeSpan = inTrace.find((s) => s.service === 'creation' && s.name === 'generation.requested process');
      const clientSpan = inTrace.find((s) => s.spanId === parentSpanId);
      return consumeSpan && clientSpan ? { consume: consumeSpan, client: clientSpan } : undefined;
    });
    expect(consume.kind).toBe(SPAN_KIND.CONSUMER);
    expect(client).toMatchObject({ service: 'creation', kind: SPAN_KIND.CLIENT });
    expect(attributeText(client, 'url.full')).toBe(`${openai.server.url}/v1/chat/completions`);
    const byId = new Map(receiver.spans().filter((s) => s.traceId === traceId).map((s) => [s.spanId, s]));
    let ancestor = client.parentSpanId ? byId.get(client.parentSpanId) : undefined;
    while (ancestor && ancestor.spanId !== consume.spanId) ancestor = ancestor.parentSpanId ? byId.get(ancestor.parentSpanId) : undefined;
    expect(ancestor?.spanId).toBe(consume.spanId);
  }, 40_000);

  it('falls back to Anthropic when OpenAI is rate-limited for longer than the generator waits', async () => {
    openai.server.fault({ kind: 'rate_limit', retryAfterSeconds: 30, times: 1, pathPrefix: '/v1/chat/completions' });
    anthropic.script({ input: CONTENT_OUTPUT });
    const openaiBefore = chatCompletions(openai).length;
    const anthropicBefore = anthropicMessages(anthropic).length;
    const done = await waitJob((await start(contentInput(3))).id);
    expect(done).toMatchObject({ status: 'SUCCEEDED', attempts: 1, provider: 'anthropic', model: ANTHROPIC_MODEL, offline: false, cached: false, error: null });
    expect(done.result).toEqual(CONTENT_OUTPUT);
    expect(chatCompletions(openai)).toHaveLength(openaiBefore + 1); // no wait of 30 s, no second try
    const sent = anthropicMessages(anthropic).slice(anthropicBefore);
    expect(sent).toHaveLength(1);

    // The fake counts about four characters a token, as it reported in its stream.
    const body = sent[0]!.body as { system?: unknown; messages: unknown; tools?: unknown };
    const inputTokens = Math.max(1, Math.ceil(JSON.stringify([body.system ?? '', body.messages, body.tools ?? []]).length / 4));
    const outputTokens = Math.max(1, Math.ceil(JSON.stringify(CONTENT_OUTPUT).length / 4));
    const calls = await callsOf(done.id);
    expect(calls.map((c) => [c.provider, c.outcome]).sort()).toEqual([
      ['anthropic', 'success'],
      ['openai', 'failed'],
    ]);
    expect(calls.find((c) => c.provider === 'openai')).toMatchObject({ inputTokens: 0, outputTokens: 0, costMicroUsd: 0 });
    const cost = expectedCost(ANTHROPIC_MODEL, inputTokens, outputTokens);
    expect(calls.find((c) => c.provider === 'anthropic')).toMatchObject({ model: ANTHROPIC_MODEL, inputTokens, outputTokens, tokensEstimated: false, costMicroUsd: cost, priced: true });
    expect(done).toMatchObject({ inputTokens, outputTokens, costMicroUsd: cost });
  }, 30_000);

  it('lets a VIEWER follow a job but not see usage and cost', async () => {
    const team = await teamWithEveryRole(services.url, 'Viewers Inc');
    openai.script({ object: CONTENT_OUTPUT });
    const queued = await start(contentInput(4), team.tokens.CONTENT_CREATOR);
    const done = await waitJob(queued.id, { token: team.tokens.VIEWER });
    expect(done).toMatchObject({ id: queued.id, status: 'SUCCEEDED', provider: 'openai' });
    for (const query of [USAGE_QUERY, `{ aiCalls(first: 5) { nodes { id costMicroUsd } } }`]) {
      const refused = await gql(services.url, query, { m: month }, team.tokens.VIEWER);
      expect(refused.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
      expect(refused.data ?? null).toBeNull();
    }
    // Another organization's job is not there for them.
    expect((await gqlOk<{ generationJob: Job | null }>(services.url, `query ($id: ID!) { generationJob(id: $id) { id } }`, { id: firstJob.id }, team.tokens.VIEWER)).generationJob).toBeNull();
    // An ADMIN of the team does see usage.
    expect((await usage(team.tokens.ADMIN)).total.calls).toBe(1);
  }, 60_000);

  it('fails a job with AI_UNAVAILABLE after its retries when every provider is down, and dead-letters its message', async () => {
    openai.server.fault({ kind: 'fail', status: 503, pathPrefix: '/v1/chat/completions' });
    anthropic.server.fault({ kind: 'fail', status: 529, pathPrefix: '/v1/messages' });
    const openaiBefore = chatCompletions(openai).length;
    const anthropicBefore = anthropicMessages(anthropic).length;
    try {
      const queued = await start(contentInput(5));
      const startedAt = Date.now();
      const done = await waitJob(queued.id, { timeoutMs: 40_000 });
      expect(done).toMatchObject({ status: 'FAILED', attempts: RETRY.maxAttempts, result: null, error: { code: 'AI_UNAVAILABLE' }, costMicroUsd: 0, pollAfterSeconds: null });
      expect(done.error?.message).toMatch(/openai.*anthropic/);
      expect(Date.now() - startedAt).toBeLessThan(30_000);
      expect(chatCompletions(openai).length).toBeGreaterThan(openaiBefore);
      expect(anthropicMessages(anthropic).length).toBeGreaterThan(anthropicBefore);
      const calls = await callsOf(done.id);
      expect(calls.length).toBeGreaterThanOrEqual(2);
      expect(new Set(calls.map((c) => c.outcome))).toEqual(new Set(['failed']));

      // The message was given up after its last attempt: a dead letter an ADMIN can replay once providers are back.
      const letters = async () =>
        (
          await gqlOk<{ creationDeadLetters: { nodes: { type: string; reason: string; attempts: number; envelope: string }[] } }>(
            services.url,
            `{ creationDeadLetters(first: 20, status: ALL) { nodes { type reason attempts envelope } } }`,
            {},
            owner.token,
          )
        ).creationDeadLetters.nodes.filter((n) => n.envelope.includes(queued.id));
      await waitFor('the dead letter of the job', async () => (await letters()).length > 0, 10_000, 200);
      expect(await letters()).toEqual([expect.objectContaining({ type: 'generation.requested', reason: 'HANDLER_FAILED', attempts: RETRY.maxAttempts })]);
      // Finished means finished: nothing runs it again.
      await sleep(1000);
      expect(await jobOf(queued.id)).toMatchObject({ status: 'FAILED', attempts: RETRY.maxAttempts });
    } finally {
      openai.server.reset();
      anthropic.server.reset();
    }
  }, 60_000);

  it('finishes a job whose worker was killed mid-call: the restarted worker takes it over once its lease runs out', async () => {
    openai.script({ object: CONTENT_OUTPUT }, { object: CONTENT_OUTPUT });
    // The first call gets no answer (it would be a slow one: the worker dies first); the next one answers at once.
    openai.server.fault({ kind: 'hang', times: 1, pathPrefix: '/v1/chat/completions' });
    const requestsBefore = chatCompletions(openai).length;
    const queued = await start(contentInput(6));
    await waitJob(queued.id, { until: (job) => job.status === 'RUNNING', timeoutMs: 15_000 });
    await waitFor('the provider call in flight', () => chatCompletions(openai).length > requestsBefore, 10_000);

    const creation = running.find((p) => p.name === 'creation' && p.child.exitCode === null)!;
    creation.child.kill('SIGKILL');
    await creation.stop();
    // Nothing is asked of creation through the gateway while it is down (its subgraph breaker stays closed).
    const restarted = startProcess('creation', 'subgraphs/creation/dist/main.js', { ...env, PORT: String(services.ports.creation) });
    running.push(restarted);
    await waitReady(`http://127.0.0.1:${services.ports.creation}/health/ready`, restarted);

    const seen: string[] = [];
    const done = await waitJob(queued.id, { timeoutMs: 40_000, seen });
    expect(done).toMatchObject({ status: 'SUCCEEDED', provider: 'openai', error: null, progress: 100 });
    expect(done.attempts).toBeGreaterThanOrEqual(2);
    expect(done.result).toEqual(CONTENT_OUTPUT);
    expect(seen).not.toContain('FAILED');
    expect(chatCompletions(openai).length).toBeGreaterThanOrEqual(requestsBefore + 2);
    // The killed worker's call never finished: only the successful one is recorded.
    expect((await callsOf(done.id)).map((c) => c.outcome)).toEqual(['success']);
  }, 90_000);

  it("refuses generations once an organization's budget is spent, warns once at its warning share, and leaves other organizations alone", async () => {
    // A's budget, from what one such call costs: the smallest limit above one call (so the first call runs and the
    // second is allowed), reached by two; the warning share at half of what one call spends of it.
    const limitCents = Math.floor(firstCost / 10_000) + 1;
    const warningPercent = Math.max(1, Math.floor((firstCost * 50) / (limitCents * 10_000)));
    expect(2 * firstCost).toBeGreaterThanOrEqual(limitCents * 10_000);
    const orgA = await registerTenant(services.url, 'Thrifty Inc');
    const orgB = await registerTenant(services.url, 'Unbothered Inc');
    const budget = await gqlOk<{ setAiBudget: Usage['budget'] }>(
      services.url,
      `mutation ($l: Int!, $w: Int) { setAiBudget(input: { monthlyLimitCents: $l, warningPercent: $w }) { month monthlyLimitCents warningPercent isDefault spentMicroUsd state } }`,
      { l: limitCents, w: warningPercent },
      orgA.token,
    );
    expect(budget.setAiBudget).toEqual({ month, monthlyLimitCents: limitCents, warningPercent, isDefault: false, spentMicroUsd: 0, state: 'OK' });
    const warningsOfA = () => events.filter((e) => e.type === 'ai.budget_warning' && e.body.orgId === orgA.orgId);

    // The first call: past the warning share, below the limit.
    openai.script({ object: CONTENT_OUTPUT });
    const first = await waitJob((await start(contentInput(7), orgA.token)).id, { token: orgA.token });
    expect(first).toMatchObject({ status: 'SUCCEEDED', costMicroUsd: firstCost });
    expect((await usage(orgA.token)).budget).toMatchObject({ spentMicroUsd: firstCost, state: 'WARNING' });
    await waitFor('ai.budget_warning on the broker', () => warningsOfA().length > 0, 10_000);
    expect(warningsOfA()[0]?.body).toMatchObject({ type: 'ai.budget_warning', source: 'creation', data: { month, spentMicroUsd: firstCost, limitCents, warningPercent } });

    // The second call still runs (the budget was not spent before it) and spends it.
    openai.script({ object: CONTENT_OUTPUT });
    const second = await waitJob((await start(contentInput(8), orgA.token)).id, { token: orgA.token });
    expect(second).toMatchObject({ status: 'SUCCEEDED', costMicroUsd: firstCost });
    expect((await usage(orgA.token)).budget).toMatchObject({ spentMicroUsd: 2 * firstCost, state: 'EXCEEDED' });

    // The third is refused at once: no job, nothing sent to a provider.
    const requestsBefore = chatCompletions(openai).length + anthropicMessages(anthropic).length;
    const refused = await post<{ startGeneration: Job }>(START, { i: contentInput(9) }, orgA.token);
    expect(refused.errors?.map((e) => e.extensions?.code)).toEqual(['BUDGET_EXCEEDED']);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ month, monthlyLimitCents: limitCents });
    const jobsOfA = await gqlOk<{ generationJobs: { nodes: { id: string }[] } }>(services.url, `{ generationJobs(first: 20) { nodes { id } } }`, {}, orgA.token);
    expect(jobsOfA.generationJobs.nodes.map((n) => n.id)).toEqual([second.id, first.id]);

    // Another organization is not refused.
    openai.script({ object: CONTENT_OUTPUT });
    const other = await waitJob((await start(contentInput(10), orgB.token)).id, { token: orgB.token });
    expect(other).toMatchObject({ status: 'SUCCEEDED', provider: 'openai' });
    expect(chatCompletions(openai).length + anthropicMessages(anthropic).length).toBe(requestsBefore + 1); // B's call only

    // Exactly one warning for the month, though A spent again past it; none for B.
    await sleep(1500);
    expect(warningsOfA()).toHaveLength(1);
    expect(events.filter((e) => e.type === 'ai.budget_warning' && e.body.orgId !== orgA.orgId)).toEqual([]);
    const samples = await creationMetrics();
    expect(metricValue(samples, 'umt_ai_budget_warnings_total', { agent: 'creation' })).toBe(1);
    expect(metricValue(samples, 'umt_ai_budget_refusals_total', { agent: 'creation' })).toBe(1);
  }, 60_000);
});
