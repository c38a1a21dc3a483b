/**
 * The one Prometheus registry of a process. Every series a service exposes is declared here, so that names, labels
 * and buckets are the same in every service, and infra/deploy's dashboard can rely on them; later mechanisms
 * (circuit breakers, AI usage) add theirs here too.
 *
 * Every series carries a `service` label set by whoever observes it, not a registry-wide default label: `npm start`
 * runs all six services in one process, and their series must stay apart there too.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { valueWithin } from './timeout';

export const metricsRegistry = new Registry();
metricsRegistry.setContentType(Registry.PROMETHEUS_CONTENT_TYPE);

let defaultMetricsCollected = false;
/** Process and Node.js runtime series (CPU, memory, event loop lag, GC): once per process. */
export function collectRuntimeMetrics(): void {
  if (defaultMetricsCollected) return;
  defaultMetricsCollected = true;
  collectDefaultMetrics({ register: metricsRegistry });
}

/** Request and operation latencies: from 5 ms to 10 s. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Event delivery: from 5 ms to 5 min, since retries and outages stretch it. */
const EVENT_LAG_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

export const httpRequests = new Counter({
  name: 'umt_http_requests_total',
  help: 'HTTP requests answered, by route template and status code.',
  labelNames: ['service', 'method', 'route', 'status_code'] as const,
  registers: [metricsRegistry],
});

export const httpRequestDuration = new Histogram({
  name: 'umt_http_request_duration_seconds',
  help: 'Time to answer an HTTP request, by route template and status code.',
  labelNames: ['service', 'method', 'route', 'status_code'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [metricsRegistry],
});

export const graphqlOperations = new Counter({
  name: 'umt_graphql_operations_total',
  help: 'GraphQL operations run, by operation name and type; outcome is success or error (any error in the response).',
  labelNames: ['service', 'operation_name', 'operation_type', 'outcome'] as const,
  registers: [metricsRegistry],
});

export const graphqlOperationDuration = new Histogram({
  name: 'umt_graphql_operation_duration_seconds',
  help: 'Time to run a GraphQL operation, from parsed request to response, by operation name and type.',
  labelNames: ['service', 'operation_name', 'operation_type', 'outcome'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [metricsRegistry],
});

export const graphqlErrors = new Counter({
  name: 'umt_graphql_errors_total',
  help: 'GraphQL errors returned, by operation name and extensions.code.',
  labelNames: ['service', 'operation_name', 'code'] as const,
  registers: [metricsRegistry],
});

export const subgraphFetchDuration = new Histogram({
  name: 'umt_gateway_subgraph_fetch_duration_seconds',
  help: 'Time the gateway waits for one fetch to a subgraph; outcome is success, error (GraphQL errors) or failure (no answer).',
  labelNames: ['service', 'subgraph', 'outcome'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [metricsRegistry],
});

export const eventsPublished = new Counter({
  name: 'umt_events_published_total',
  help: 'Events the outbox relay handed to the transport and saw confirmed, by event type.',
  labelNames: ['service', 'event_type'] as const,
  registers: [metricsRegistry],
});

export const relayLag = new Histogram({
  name: 'umt_outbox_relay_lag_seconds',
  help: 'Time from recording an event in the outbox to the confirmed publish, by event type.',
  labelNames: ['service', 'event_type'] as const,
  buckets: EVENT_LAG_BUCKETS,
  registers: [metricsRegistry],
});

export const eventProcessingDuration = new Histogram({
  name: 'umt_event_processing_duration_seconds',
  help: "Time a consumer spends on one delivery, handler and transaction included; outcome is processed, duplicate or failed.",
  labelNames: ['service', 'event_type', 'outcome'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [metricsRegistry],
});

export const eventsDeadLettered = new Counter({
  name: 'umt_events_dead_lettered_total',
  help:
    'Messages recorded as dead letters (after the last attempt, or at once when they can never be processed), by event ' +
    'type: the routing key when the body was not an envelope, else unknown.',
  labelNames: ['service', 'event_type'] as const,
  registers: [metricsRegistry],
});

export const eventsMalformed = new Counter({
  name: 'umt_events_malformed_total',
  help:
    'Messages a consumer could never process, dead-lettered at once without retries; reason is not_json, not_envelope ' +
    '(an orgId that is not a UUID included) or invalid_payload. Only invalid_payload ones belong to an organization.',
  labelNames: ['service', 'reason'] as const,
  registers: [metricsRegistry],
});

export const eventsParked = new Counter({
  name: 'umt_events_parked_total',
  help:
    'Messages moved to the dead-letter queue without a dead_letters row, because recording it failed in every round ' +
    '(EVENT_DEAD_LETTER_RECORD_ATTEMPTS); only the queue holds them. reason is why they were dead-lettered.',
  labelNames: ['service', 'reason'] as const,
  registers: [metricsRegistry],
});

/**
 * A gauge read when Prometheus scrapes, from one source per service (and label set): several services may run in
 * one process. A source that fails or times out is skipped for that scrape rather than failing the scrape.
 */
export class SampledGauge<Label extends string> {
  private readonly sources = new Map<string, { labels: Record<Label, string>; read: () => Promise<number> | number }>();

  constructor(name: string, help: string, labelNames: readonly Label[]) {
    const sources = this.sources;
    new Gauge<Label>({
      name,
      help,
      labelNames,
      registers: [metricsRegistry],
      async collect() {
        const samples = await Promise.all(
          [...sources.values()].map(async ({ labels, read }) => ({
            labels,
            value: await valueWithin(Promise.resolve().then(read), SAMPLE_TIMEOUT_MS).catch(() => undefined),
          })),
        );
        // Reset and set with no await between: two scrapes at once must not see each other's half-filled gauge.
        this.reset();
        for (const { labels, value } of samples) if (value !== undefined) this.set(labels, value);
      },
    });
  }

  /** Adds (or replaces) the source of one label set; returns its removal, for shutdown. */
  source(labels: Record<Label, string>, read: () => Promise<number> | number): () => void {
    const key = JSON.stringify(Object.entries(labels).sort());
    this.sources.set(key, { labels, read });
    return () => {
      if (this.sources.get(key)?.read === read) this.sources.delete(key);
    };
  }
}

const SAMPLE_TIMEOUT_MS = 2_000;

export const dbPoolConnections = new SampledGauge(
  'umt_db_pool_connections',
  'Database connections of the pool by state: total, idle, waiting (clients queued for one) and max (the configured size).',
  ['service', 'state'] as const,
);

export const outboxBacklog = new SampledGauge('umt_outbox_backlog_events', 'Events recorded in the outbox and not yet published.', ['service'] as const);

export const outboxOldestAge = new SampledGauge(
  'umt_outbox_oldest_unpublished_age_seconds',
  'Age of the oldest event in the outbox not yet published (0 when none): how far the relay is behind.',
  ['service'] as const,
);

export const deadLetterCount = new SampledGauge('umt_dead_letters', 'Dead letters recorded and not replayed yet.', ['service'] as const);

/** The text a /metrics endpoint answers with. */
export async function metricsText(): Promise<{ contentType: string; body: string }> {
  return { contentType: metricsRegistry.contentType, body: await metricsRegistry.metrics() };
}

export const breakerState = new Gauge({
  name: 'umt_circuit_breaker_state',
  help: 'State of a circuit breaker: 0 CLOSED (calls pass), 1 HALF_OPEN (probes decide), 2 OPEN (calls refused at once).',
  labelNames: ['service', 'breaker'] as const,
  registers: [metricsRegistry],
});

export const breakerCalls = new Counter({
  name: 'umt_circuit_breaker_calls_total',
  help: 'Calls through a circuit breaker by outcome: success, failure, timeout, short_circuit (refused while open) or ignored (an error that says nothing of the dependency).',
  labelNames: ['service', 'breaker', 'outcome'] as const,
  registers: [metricsRegistry],
});

export const breakerCallDuration = new Histogram({
  name: 'umt_circuit_breaker_call_duration_seconds',
  help: 'Time a call through a circuit breaker took, by outcome (short circuits are not timed).',
  labelNames: ['service', 'breaker', 'outcome'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [metricsRegistry],
});

export const breakerTransitions = new Counter({
  name: 'umt_circuit_breaker_transitions_total',
  help: 'State changes of a circuit breaker, by the state entered.',
  labelNames: ['service', 'breaker', 'to'] as const,
  registers: [metricsRegistry],
});
