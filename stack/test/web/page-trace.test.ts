/**
 * One trace from a click to the consumer's SQL: the web app, served by the gateway, runs in the machine's Chromium
 * against the services as separate processes (auto-instrumentation patches only plain node processes), which export
 * their spans to this test's OTLP receiver, and so does the page (WEB_OTLP_TRACES_ENDPOINT). Creating a brand on its
 * page must give one trace: the page's action (root) → its GraphQL operation → fetch → the gateway's request → the
 * brand subgraph's resolver → the outbox relay's publish → strategy's consumer → its SQL.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { gqlOk, isDescendant, isolatedServices, renderTrace, SPAN_KIND, startServices, waitForSpans, type OtlpReceiver, type ReceivedSpan, type ServiceProcess } from '@umt/test-support';
import { launchBrowser } from '@umt/test-support/src/browser';
import type { Browser } from 'playwright-core';
import { newAccount } from './support';

const RETRY = { maxAttempts: 3, delaysMs: [50, 100] };

describe('a trace from the page to the consumer\'s SQL', () => {
  const running: ServiceProcess[] = [];
  const isolated = isolatedServices('umt-test-page-trace', RETRY);
  let receiver: OtlpReceiver;
  let origin: string;
  let browser: Browser;

  beforeAll(async () => {
    const database = await isolated.database();
    receiver = await isolated.receiver();
    const services = await startServices(
      { ...isolated.env({ databaseUrl: database.url, otlpEndpoint: receiver.endpoint }), WEB_OTLP_TRACES_ENDPOINT: `${receiver.endpoint}/v1/traces` },
      running,
    );
    origin = new URL(services.url).origin;
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await isolated.stop(running);
  }, 90_000);

  it('joins the page\'s action, the gateway, the resolver, the event and the consumer\'s SQL under one trace id', async () => {
    const account = newAccount('traced');
    await gqlOk(`${origin}/graphql`, 'mutation ($i: RegisterInput!) { register(input: $i) { accessToken } }', { i: account });
    const context = await browser.newContext({ baseURL: origin });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto('/login');
    await page.getByLabel('Email').fill(account.email);
    await page.getByRole('textbox', { name: 'Password' }).fill(account.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('button', { name: 'Log out' }).waitFor();

    const sent: string[] = [];
    page.on('request', (request) => {
      // The page's own span exports name the operation too: only the GraphQL request counts.
      if (request.url().endsWith('/graphql') && (request.postData() ?? '').includes('CreateBrand')) sent.push(request.headers().traceparent ?? '');
    });
    await page.goto('/brands');
    await page.getByRole('button', { name: 'New brand' }).click();
    await page.getByLabel('Brand name').fill('Traced Coffee');
    await page.getByRole('button', { name: 'Create brand' }).click();
    await page.getByText('Traced Coffee').first().waitFor();
    // The page sends its spans in batches, every half second.

    expect(sent).toHaveLength(1);
    const [, traceId, pageSpanId] = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/.exec(sent[0] ?? '') ?? [];
    expect(traceId).toBeDefined();
    const found = await waitForSpans(receiver, `the trace ${traceId} from the page to strategy's SQL`, (all) => {
      const spans = all.filter((s) => s.traceId === traceId);
      const consumer = spans.find((s) => s.service === 'strategy' && s.kind === SPAN_KIND.CONSUMER && s.name === 'brand.created process');
      const sql = consumer && spans.find((s) => s.service === 'strategy' && s.scope === '@opentelemetry/instrumentation-pg' && isDescendant(s, consumer, spans));
      const action = spans.find((s) => s.service === 'web' && !s.parentSpanId);
      const fetched = spans.some((s) => s.spanId === pageSpanId);
      return sql && action && fetched ? { spans, consumer, sql, action } : undefined;
    }, 30_000);
    const { spans, consumer, sql, action } = found;
    const tree = () => renderTrace(spans);
    const byId = (id: string | undefined) => spans.find((s) => s.spanId === id);

    // The page's fetch span is the one whose id went out in traceparent; the gateway's request is its child.
    const fetchSpan = byId(pageSpanId);
    expect(fetchSpan?.service).toBe('web');
    expect(isDescendant(fetchSpan as ReceivedSpan, action, spans)).toBe(true);
    const gatewayRequest = spans.find((s) => s.service === 'gateway' && s.kind === SPAN_KIND.SERVER && s.parentSpanId === pageSpanId);
    expect(gatewayRequest).toBeDefined();
    const resolver = spans.find((s) => s.service === 'brand' && s.name === 'graphql.resolve createBrand');
    expect(resolver && isDescendant(resolver, gatewayRequest as ReceivedSpan, spans)).toBe(true);
    const publish = spans.find((s) => s.service === 'brand' && s.kind === SPAN_KIND.PRODUCER && s.name === 'brand.created publish');
    expect(publish && isDescendant(publish, resolver as ReceivedSpan, spans)).toBe(true);
    expect(isDescendant(consumer, publish as ReceivedSpan, spans)).toBe(true);
    expect(isDescendant(sql, action, spans)).toBe(true);
    // Every span of the trace hangs from the page's action: nothing lost its parent on the way.
    const orphans = spans.filter((s) => s !== action && !byId(s.parentSpanId));
    expect([orphans.map((s) => `[${s.service}] ${s.name}`), tree()]).toEqual([[], tree()]);
    await context.close();
  }, 90_000);
});
