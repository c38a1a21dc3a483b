/**
 * Prometheus metrics, as an operator scrapes them: the six services run as their own processes on PostgreSQL,
 * Redis and RabbitMQ; a scripted workload (a registration, a mutation whose event crosses the broker, a refused
 * query, a query that does not parse, a dead letter) runs through the gateway; then each service's /metrics must
 * show the series of infra/src/metrics.ts with the values that workload implies.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SUBGRAPHS } from '@umt/infra';
import { Client } from 'pg';
import { metricValue, parseMetrics, type Sample, waitFor, gql, gqlOk, registerTenant, type Tenant, isolatedServices, type TestDatabase, startServices, type RunningServices, type ServiceProcess } from '@umt/test-support';

const RETRY = { maxAttempts: 2, delaysMs: [50] };
const METRICS_TOKEN = randomBytes(16).toString('hex');




describe('Prometheus metrics of every service after a scripted workload', () => {
  const running: ServiceProcess[] = [];
  const isolated = isolatedServices('umt-test-metrics', RETRY);
  let database: TestDatabase;
  let services: RunningServices;
  let tenant: Tenant;
  const metricsUrl = (name: string) =>
    name === 'gateway' ? services.url.replace(/\/graphql$/, '/metrics') : `http://127.0.0.1:${services.ports[name]}/metrics`;
  const scrape = async (name: string): Promise<Sample[]> => {
    const response = await fetch(metricsUrl(name), { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return parseMetrics(await response.text());
  };

  beforeAll(async () => {
    database = await isolated.database();
    services = await startServices(
      { ...isolated.env({ databaseUrl: database.url }), METRICS_TOKEN },
      running,
    );

    // The workload.
    tenant = await registerTenant(services.url, 'Metered Inc');
    const brand = await gqlOk<{ createBrand: { id: string } }>(
      services.url,
      'mutation MeteredCreateBrand($name: String!) { createBrand(input: { name: $name }) { id } }',
      { name: 'Metered brand' },
      tenant.token,
    );
    await waitFor(
      'the brand.created consumer in strategy',
      async () =>
        (
          await gqlOk<{ brand: { planning: unknown } }>(
            services.url,
            'query MeteredPlanning($id: ID!) { brand(id: $id) { planning { brandName } } }',
            { id: brand.createBrand.id },
            tenant.token,
          )
        ).brand.planning !== null,
      20_000,
      100,
    );
    // One query that fetches from creation and campaigns, so that every subgraph served the gateway.
    await gqlOk(services.url, 'query MeteredLists { contents { nodes { id } } publications { nodes { id } } }', {}, tenant.token);
    const anonymous = await gql(services.url, 'query MeteredAnonymous { brands { nodes { id } } }');
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const unparsable = await gql(services.url, '{ brands { nodes { id }', {}, tenant.token);
    expect(unparsable.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');

    // A dead letter, as the consumer records one after the last attempt (the path itself is tested in infra/test/events).
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      const eventId = randomUUID();
      await client.query(
        `insert into strategy.dead_letters (id, event_id, type, org_id, envelope, error, attempts, first_failed_at, last_failed_at)
         values ($1, $2, 'brand.created', $3, $4, 'handler failed', 2, now(), now())`,
        [randomUUID(), eventId, tenant.orgId, JSON.stringify({ id: eventId, type: 'brand.created' })],
      );
    } finally {
      await client.end();
    }
  }, 120_000);

  afterAll(() => isolated.stop(running), 90_000);

  it('every service serves /metrics with the runtime and HTTP series, to the holder of METRICS_TOKEN only', async () => {
    for (const name of ['gateway', ...SUBGRAPHS.map((s) => s.name)]) {
      expect({ name, status: (await fetch(metricsUrl(name))).status }).toEqual({ name, status: 401 });
      const wrong = await fetch(metricsUrl(name), { headers: { authorization: `Bearer ${METRICS_TOKEN.replace(/.$/, 'x')}` } });
      expect({ name, status: wrong.status }).toEqual({ name, status: 401 });
      const samples = await scrape(name);
      expect({ name, cpu: metricValue(samples, 'process_cpu_seconds_total') !== undefined }).toEqual({ name, cpu: true });
      expect({ name, eventLoop: metricValue(samples, 'nodejs_eventloop_lag_seconds') !== undefined }).toEqual({ name, eventLoop: true });
      // Every service answered GraphQL: the gateway its client, each subgraph the gateway.
      const graphqlRequests = metricValue(samples, 'umt_http_requests_total', { service: name, route: '/graphql', method: 'POST', status_code: '200' });
      expect({ name, graphqlRequests: (graphqlRequests ?? 0) > 0 }).toEqual({ name, graphqlRequests: true });
    }
  });

  it('the gateway: operations by name with their outcome and latency, errors by code, subgraph fetch latency', async () => {
    const samples = await scrape('gateway');
    const mutation = { service: 'gateway', operation_name: 'MeteredCreateBrand', operation_type: 'mutation' };
    expect(metricValue(samples, 'umt_graphql_operations_total', { ...mutation, outcome: 'success' })).toBe(1);
    expect(metricValue(samples, 'umt_graphql_operation_duration_seconds_count', { ...mutation, outcome: 'success' })).toBe(1);
    expect(metricValue(samples, 'umt_graphql_operation_duration_seconds_bucket', { ...mutation, outcome: 'success', le: '+Inf' })).toBe(1);
    // A caller who is not signed in does not name series: anyone could otherwise fill the cap on distinct names.
    expect(metricValue(samples, 'umt_graphql_operations_total', { operation_name: 'MeteredAnonymous' })).toBeUndefined();
    expect(metricValue(samples, 'umt_graphql_errors_total', { operation_name: '(unauthenticated)', code: 'UNAUTHENTICATED' })).toBe(1);
    expect(metricValue(samples, 'umt_graphql_operations_total', { operation_name: '(unauthenticated)', operation_type: 'mutation', outcome: 'success' })).toBe(1); // register
    // A document that does not parse has no operation: it is counted, but not under a name a client chose.
    expect(metricValue(samples, 'umt_graphql_errors_total', { operation_name: '(anonymous)', code: 'GRAPHQL_PARSE_FAILED' })).toBe(1);
    expect(metricValue(samples, 'umt_graphql_operations_total', { operation_type: 'unknown', outcome: 'error' })).toBeGreaterThanOrEqual(1);
    for (const subgraph of SUBGRAPHS.map((s) => s.name)) {
      const fetches = metricValue(samples, 'umt_gateway_subgraph_fetch_duration_seconds_count', { subgraph, outcome: 'success' }) ?? 0;
      expect({ subgraph, fetched: fetches > 0 }).toEqual({ subgraph, fetched: true });
    }
    expect(metricValue(samples, 'umt_http_request_duration_seconds_count', { route: '/graphql', method: 'POST' })).toBeGreaterThanOrEqual(4);
  });

  it('brand: its GraphQL operations, database pool, and the outbox relay that published brand.created', async () => {
    const samples = await scrape('brand');
    expect(metricValue(samples, 'umt_graphql_operations_total', { service: 'brand', operation_type: 'mutation', outcome: 'success' })).toBeGreaterThanOrEqual(1);
    expect(metricValue(samples, 'umt_events_published_total', { service: 'brand', event_type: 'brand.created' })).toBe(1);
    expect(metricValue(samples, 'umt_outbox_relay_lag_seconds_count', { service: 'brand', event_type: 'brand.created' })).toBe(1);
    expect(metricValue(samples, 'umt_outbox_backlog_events', { service: 'brand' })).toBe(0);
    expect(metricValue(samples, 'umt_outbox_oldest_unpublished_age_seconds', { service: 'brand' })).toBe(0);
    expect(metricValue(samples, 'umt_db_pool_connections', { service: 'brand', state: 'max' })).toBe(10);
    expect(metricValue(samples, 'umt_db_pool_connections', { service: 'brand', state: 'total' })).toBeGreaterThanOrEqual(1);
    expect(metricValue(samples, 'umt_db_pool_connections', { service: 'brand', state: 'waiting' })).toBe(0);
  });

  it('strategy: the consumer’s processing time and the dead letters waiting for a replay', async () => {
    const samples = await scrape('strategy');
    const processed = { service: 'strategy', event_type: 'brand.created', outcome: 'processed' };
    expect(metricValue(samples, 'umt_event_processing_duration_seconds_count', processed)).toBe(1);
    expect(metricValue(samples, 'umt_event_processing_duration_seconds_sum', processed)).toBeGreaterThan(0);
    expect(metricValue(samples, 'umt_dead_letters', { service: 'strategy' })).toBe(1);
    expect(metricValue(samples, 'umt_outbox_backlog_events', { service: 'strategy' })).toBe(0);
  });

  it('an event recorded but not yet published shows in the backlog and its age', async () => {
    // The relay of campaigns would publish a good row at once; a row whose payload is not an envelope fails on
    // every try and stays unsent, like an event stuck behind a broker outage.
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      await client.query(
        `insert into campaigns.outbox (id, type, org_id, source, payload, created_at)
         values ($1, 'test.stuck', $2, 'campaigns', 'null'::jsonb, now() - interval '90 seconds')`,
        [randomUUID(), tenant.orgId],
      );
    } finally {
      await client.end();
    }
    const samples = await scrape('campaigns');
    expect(metricValue(samples, 'umt_outbox_backlog_events', { service: 'campaigns' })).toBe(1);
    expect(metricValue(samples, 'umt_outbox_oldest_unpublished_age_seconds', { service: 'campaigns' })).toBeGreaterThanOrEqual(90);
  });
});
