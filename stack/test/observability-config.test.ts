/**
 * The observability files of infra/deploy/, checked without running them (no collector, Prometheus or Grafana here):
 * the collector's pipelines and where they send spans, against docker-compose.yml; Grafana's provisioning against
 * the compose mounts; and the dashboard's PromQL against the series the services register (infra/src/metrics.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { collectRuntimeMetrics, metricsRegistry } from '@umt/infra';
import { parse } from 'yaml';
import { ROOT } from '@umt/test-support';

interface ComposeService {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  expose?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}

type Section = Record<string, Record<string, unknown> | null>;
interface Pipeline {
  receivers?: string[];
  processors?: string[];
  exporters?: string[];
}
interface CollectorConfig {
  extensions?: Section;
  receivers: Section;
  processors?: Section;
  exporters: Section;
  connectors?: Section;
  service: { extensions?: string[]; pipelines: Record<string, Pipeline> };
}

interface Datasource {
  type?: string;
  uid?: string;
}
interface Target {
  refId?: string;
  expr?: string;
  datasource?: Datasource;
}
interface Panel {
  id: number;
  type: string;
  title?: string;
  datasource?: Datasource;
  gridPos?: { x: number; y: number; w: number; h: number };
  targets?: Target[];
  panels?: Panel[];
}
interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: { name: string; datasource?: Datasource; definition?: string; query?: string | { query?: string } }[] };
}

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const services = (parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, ComposeService> }).services;

function mounts(service: ComposeService): { source: string; target: string }[] {
  return (service.volumes ?? []).map((entry) => {
    const [source = '', target = ''] = entry.split(':');
    return { source, target };
  });
}

/** Where compose mounts a file or directory of the repository inside a service's container. */
function mountTarget(service: ComposeService, source: string): string | undefined {
  return mounts(service).find((m) => m.source === source)?.target;
}

function containerPorts(service: ComposeService): string[] {
  return [...(service.ports ?? []).map((p) => p.split(':').at(-1) ?? ''), ...(service.expose ?? [])].map((p) => p.replace(/\/(tcp|udp)$/, ''));
}

/** host and port of a collector endpoint: `host:port` or a URL. */
function hostPort(endpoint: string): { host: string; port: string } {
  const url = new URL(/^[a-z]+:\/\//.test(endpoint) ? endpoint : `tcp://${endpoint}`);
  return { host: url.hostname, port: url.port };
}

const collectorService = services['otel-collector']!;
const collectorConfigPath = (collectorService.command ?? []).find((arg) => arg.startsWith('--config='))?.slice('--config='.length);
const collectorConfigSource = mounts(collectorService).find((m) => m.target === collectorConfigPath)?.source ?? '';
const collector = parse(read(collectorConfigSource)) as CollectorConfig;

describe('the OpenTelemetry Collector configuration', () => {
  it('is the file docker-compose.yml mounts where the collector is told to read it', () => {
    expect(collectorConfigPath).toBeDefined();
    expect(collectorConfigSource).toBe('./infra/deploy/otel-collector.yaml');
  });

  it('defines every receiver, processor, exporter and extension its service section names', () => {
    const pipelines = Object.entries(collector.service.pipelines);
    expect(pipelines.length).toBeGreaterThan(0);
    for (const [name, pipeline] of pipelines) {
      expect({ name, receivers: (pipeline.receivers?.length ?? 0) > 0, exporters: (pipeline.exporters?.length ?? 0) > 0 }).toEqual({
        name,
        receivers: true,
        exporters: true,
      });
      const missing = [
        ...(pipeline.receivers ?? []).filter((r) => !(r in collector.receivers) && !(r in (collector.connectors ?? {}))).map((r) => `receiver ${r}`),
        ...(pipeline.processors ?? []).filter((p) => !(p in (collector.processors ?? {}))).map((p) => `processor ${p}`),
        ...(pipeline.exporters ?? []).filter((e) => !(e in collector.exporters) && !(e in (collector.connectors ?? {}))).map((e) => `exporter ${e}`),
      ];
      expect({ name, missing }).toEqual({ name, missing: [] });
    }
    const extensions = collector.service.extensions ?? [];
    expect(extensions.filter((e) => !(e in (collector.extensions ?? {})))).toEqual([]);
  });

  it('limits memory before batching in the traces pipeline', () => {
    const processors = collector.service.pipelines.traces?.processors ?? [];
    expect(processors[0]).toBe('memory_limiter');
    expect(processors).toContain('batch');
  });

  it('exports traces to both Jaeger and Zipkin, at compose services and ports that exist', () => {
    const exporters = collector.service.pipelines.traces?.exporters ?? [];
    const images: string[] = [];
    for (const name of exporters) {
      const type = name.split('/')[0];
      if (type === 'debug') continue;
      const settings = collector.exporters[name] ?? {};
      const endpoint = typeof settings.endpoint === 'string' ? settings.endpoint : '';
      const { host, port } = hostPort(endpoint);
      const target = services[host];
      expect({ name, host, service: Boolean(target) }).toEqual({ name, host, service: true });
      expect({ name, port, listens: containerPorts(target!).includes(port) }).toEqual({ name, port, listens: true });
      images.push(target!.image ?? '');
      if (type === 'otlp') {
        // The compose network is plaintext: an exporter expecting TLS would fail every handshake.
        expect({ name, insecure: (settings.tls as { insecure?: boolean } | undefined)?.insecure }).toEqual({ name, insecure: true });
      }
      if (type === 'zipkin') expect(new URL(endpoint).pathname).toBe('/api/v2/spans');
    }
    expect(images.some((image) => image.startsWith('jaegertracing/'))).toBe(true);
    expect(images.some((image) => image.startsWith('openzipkin/'))).toBe(true);
  });

  it('receives OTLP on the ports compose publishes and the services send to', () => {
    const protocols = (collector.receivers.otlp as { protocols: Record<string, { endpoint: string }> }).protocols;
    const grpc = hostPort(protocols.grpc?.endpoint ?? '');
    const http = hostPort(protocols.http?.endpoint ?? '');
    // Listening on localhost inside a container would be out of everyone's reach.
    expect([grpc.host, http.host]).toEqual(['0.0.0.0', '0.0.0.0']);
    expect(collectorService.ports).toEqual(expect.arrayContaining([`${grpc.port}:${grpc.port}`, `${http.port}:${http.port}`]));
    const sentTo = new URL(services.gateway!.environment!.OTEL_EXPORTER_OTLP_ENDPOINT ?? 'http://unset');
    expect(sentTo.port).toBe(http.port);
    const cors = (protocols.http as { cors?: { allowed_origins?: string[] } }).cors;
    expect(cors?.allowed_origins).toContain('http://localhost:4000');
  });

  it("is probed by the compose health check at its health_check extension's port, with a binary its image lacks", () => {
    expect(collector.service.extensions).toContain('health_check');
    const healthCheck = collector.extensions?.health_check as { endpoint?: string } | null | undefined;
    const { port } = hostPort(healthCheck?.endpoint ?? '');
    const [kind, executable = '', ...args] = collectorService.healthcheck?.test ?? [];
    // The image has no shell: CMD-SHELL cannot run there.
    expect(kind).toBe('CMD');
    expect(new URL(args.at(-1) ?? '').port).toBe(port);
    // The executable lives in a volume that a one-shot service fills before the collector starts.
    const mount = mounts(collectorService).find((m) => executable.startsWith(`${m.target}/`));
    expect(mount).toBeDefined();
    const fillers = Object.entries(collectorService.depends_on ?? {})
      .filter(([, d]) => d.condition === 'service_completed_successfully')
      .map(([name]) => services[name]!);
    const written = fillers.flatMap((filler) => {
      const inFiller = mounts(filler).find((m) => m.source === mount!.source);
      return inFiller ? [(filler.command ?? []).at(-1)?.replace(inFiller.target, mount!.target)] : [];
    });
    expect(written).toContain(executable);
  });
});

const datasourcesDir = './infra/deploy/grafana/provisioning/datasources';
const providersDir = './infra/deploy/grafana/provisioning/dashboards';
const dashboardsDir = './infra/deploy/grafana/dashboards';
const grafana = services.grafana!;
const datasources = (parse(read(join(datasourcesDir, 'prometheus.yml'))) as { datasources: { uid: string; type: string; url: string }[] }).datasources;
const prometheusDatasource = datasources.find((d) => d.type === 'prometheus');
const dashboard = JSON.parse(read(join(dashboardsDir, 'umt-overview.json'))) as Dashboard;

function allPanels(panels: Panel[]): Panel[] {
  return panels.flatMap((p) => [p, ...allPanels(p.panels ?? [])]);
}
const panels = allPanels(dashboard.panels);
const queryPanels = panels.filter((p) => p.type !== 'row');
const expressions = queryPanels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title ?? String(p.id), expr: t.expr ?? '' })));
const variableQueries = dashboard.templating.list.map((v) => (typeof v.query === 'string' ? v.query : (v.query?.query ?? v.definition ?? '')));

/** Metric names in a PromQL expression; histogram series named by their metric. */
function metricNames(expr: string): string[] {
  return [...expr.matchAll(/\b(?:umt|process|nodejs)_[a-z0-9_]+/g)].map((m) => m[0].replace(/_(bucket|sum|count)$/, ''));
}

/** Grafana's variables replaced by what it would send, so that the text is PromQL. */
function asSentToPrometheus(expr: string): string {
  return expr.replaceAll('$__rate_interval', '1m').replaceAll('$__range', '1h').replaceAll('$__interval', '15s');
}

// The parser ships as an ES module (with a CommonJS build), which a CommonJS test file may only import dynamically.
const loadPromql = async () => (await import('@prometheus-io/lezer-promql')).parser;
let promql: Awaited<ReturnType<typeof loadPromql>>;
beforeAll(async () => {
  promql = await loadPromql();
});

/** Offsets of the syntax errors in a PromQL expression (the parser recovers from errors and marks them in the tree). */
function syntaxErrorsAt(expr: string): number[] {
  const errors: number[] = [];
  promql.parse(expr).iterate({
    enter: (node) => {
      if (node.type.isError) errors.push(node.from);
    },
  });
  return errors;
}

describe('Grafana provisioning', () => {
  it('mounts the datasource, the dashboard provider and the dashboards where Grafana reads them', () => {
    expect(mountTarget(grafana, datasourcesDir)).toBe('/etc/grafana/provisioning/datasources');
    expect(mountTarget(grafana, providersDir)).toBe('/etc/grafana/provisioning/dashboards');
    const providers = (parse(read(join(providersDir, 'dashboards.yml'))) as { providers: { type: string; options: { path: string } }[] }).providers;
    expect(providers.map((p) => [p.type, p.options.path])).toEqual([['file', mountTarget(grafana, dashboardsDir)]]);
    // The home dashboard is a file inside that mount.
    const home = grafana.environment?.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH ?? '';
    const inMount = mountTarget(grafana, dashboardsDir) ?? '<none>';
    expect(home.startsWith(`${inMount}/`)).toBe(true);
    expect(existsSync(join(ROOT, dashboardsDir, home.slice(inMount.length)))).toBe(true);
  });

  it('points the Prometheus datasource at the compose Prometheus service', () => {
    expect(prometheusDatasource?.uid).toMatch(/^[\w-]+$/);
    const url = new URL(prometheusDatasource?.url ?? 'http://unset');
    expect(services[url.hostname]?.image).toMatch(/^prom\/prometheus:/);
    expect(containerPorts(services[url.hostname]!)).toContain(url.port);
  });
});

describe('the Grafana dashboard', () => {
  it('is a dashboard with unique panel ids, laid out on the 24-column grid', () => {
    expect(dashboard.uid).toMatch(/^[\w-]{1,40}$/);
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
    const ids = panels.map((p) => p.id);
    expect(ids.every((id) => Number.isInteger(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of panels) expect({ id: p.id, fits: (p.gridPos?.x ?? 99) + (p.gridPos?.w ?? 99) <= 24 }).toEqual({ id: p.id, fits: true });
  });

  it('queries only the provisioned Prometheus datasource, by its uid', () => {
    const uid = prometheusDatasource?.uid;
    expect(queryPanels.length).toBeGreaterThan(10);
    for (const p of queryPanels) {
      expect({ panel: p.id, uid: p.datasource?.uid }).toEqual({ panel: p.id, uid });
      for (const t of p.targets ?? []) expect({ panel: p.id, ref: t.refId, uid: t.datasource?.uid ?? uid }).toEqual({ panel: p.id, ref: t.refId, uid });
    }
    for (const v of dashboard.templating.list) if (v.datasource) expect({ variable: v.name, uid: v.datasource.uid }).toEqual({ variable: v.name, uid });
  });

  it('has a service variable that the umt series are filtered by', () => {
    expect(dashboard.templating.list.map((v) => v.name)).toContain('service');
    expect(expressions.filter((e) => e.expr.includes('service=~"$service"')).length).toBeGreaterThan(10);
  });

  it('writes valid PromQL: it parses, ranges follow the scrape interval, and quantiles keep the le label', () => {
    expect(expressions.length).toBeGreaterThan(20);
    for (const { panel, expr } of expressions) {
      expect({ panel, expr, errorsAt: syntaxErrorsAt(asSentToPrometheus(expr)) }).toEqual({ panel, expr, errorsAt: [] });
      // A fixed window ([5m]) breaks when the scrape interval or the zoom changes.
      const fixedRanges = [...expr.matchAll(/\[([^\]]*)\]/g)].map((m) => m[1]).filter((range) => !/^\$__(rate_interval|range)$/.test(range ?? ''));
      expect({ panel, fixedRanges }).toEqual({ panel, fixedRanges: [] });
      // Every quantile aggregates its buckets first, keeping le (without it the quantile is NaN).
      const quantilesWithoutLe = [...expr.matchAll(/histogram_quantile\(/g)]
        .map((m) => expr.slice(m.index))
        .filter((from) => !/^histogram_quantile\([^,]+,\s*sum by \((?:[^)]*,\s*)?le(?:,[^)]*)?\)/.test(from));
      expect({ panel, quantilesWithoutLe }).toEqual({ panel, quantilesWithoutLe: [] });
    }
  });

  it('names only series that the services register', () => {
    collectRuntimeMetrics(); // process_* and nodejs_*, which every service exposes too
    const registered = new Set(metricsRegistry.getMetricsAsArray().map((m) => m.name));
    const used = [...new Set([...expressions.map((e) => e.expr), ...variableQueries].flatMap(metricNames))];
    expect(used.filter((name) => name.startsWith('umt_')).length).toBeGreaterThanOrEqual(11);
    expect(used.filter((name) => !registered.has(name))).toEqual([]);
  });

  it('has a panel for each item of the issue', () => {
    const panelsUsing = (metric: string) => queryPanels.filter((p) => (p.targets ?? []).some((t) => metricNames(t.expr ?? '').includes(metric)));
    const items: Record<string, string[]> = {
      'HTTP request rates and errors': ['umt_http_requests_total'],
      'HTTP latency': ['umt_http_request_duration_seconds'],
      'GraphQL operation rates and errors': ['umt_graphql_operations_total', 'umt_graphql_errors_total'],
      'GraphQL latency per operation': ['umt_graphql_operation_duration_seconds'],
      'subgraph fetch latency at the gateway': ['umt_gateway_subgraph_fetch_duration_seconds'],
      'database pool use': ['umt_db_pool_connections'],
      'outbox backlog': ['umt_outbox_backlog_events'],
      'relay lag': ['umt_outbox_relay_lag_seconds'],
      'consumer processing time': ['umt_event_processing_duration_seconds'],
      'dead-letter counts': ['umt_dead_letters'],
      'circuit breaker state and calls by outcome': ['umt_circuit_breaker_state', 'umt_circuit_breaker_calls_total'],
    };
    for (const [item, metrics] of Object.entries(items)) {
      for (const metric of metrics) expect({ item, metric, panels: panelsUsing(metric).length > 0 }).toEqual({ item, metric, panels: true });
    }
    // Latency histograms per operation name: a quantile over the buckets, by operation_name.
    expect(
      expressions.some(({ expr }) => /histogram_quantile\([^,]+,\s*sum by \([^)]*\boperation_name\b[^)]*\) \(rate\(umt_graphql_operation_duration_seconds_bucket/.test(expr)),
    ).toBe(true);
    // Error ratios: some expression divides errors by all operations.
    expect(expressions.some(({ expr }) => /outcome="error"/.test(expr) && expr.includes(' / '))).toBe(true);
  });
});
