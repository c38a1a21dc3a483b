import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { breakerConfigShape, commonConfigShape, eventConfigShape, secretsConfigShape, SUBGRAPHS, subgraphUrlVariable } from '@umt/infra';
import { connectionConfigShape } from '@umt/subgraph-auth';
import { AI_VARIABLES } from '@umt/ai';
import { parse } from 'yaml';
import { ROOT } from '@umt/test-support';

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  expose?: string[];
  volumes?: string[];
  restart?: string;
  stop_grace_period?: string;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}

interface PrometheusConfig {
  scrape_configs: { job_name: string; metrics_path?: string; static_configs: { targets: string[]; labels?: Record<string, string> }[] }[];
}

const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
};
const services = compose.services;
const APP_SERVICES = [...SUBGRAPHS.map((s) => s.name), 'gateway'];
const OBSERVABILITY_SERVICES = ['otel-collector-probe', 'otel-collector', 'jaeger', 'zipkin', 'prometheus', 'grafana'];
const CONDITIONS = ['service_started', 'service_healthy', 'service_completed_successfully'];

/** A volume entry in short syntax: `source:target[:mode]`; a source starting with . or / is a bind mount. */
function mounts(service: ComposeService): { source: string; target: string; bind: boolean }[] {
  return (service.volumes ?? []).map((entry) => {
    const [source = '', target = ''] = entry.split(':');
    return { source, target, bind: source.startsWith('.') || source.startsWith('/') };
  });
}

/** Services that others wait for to exit successfully: one-shot jobs, which have no health to check. */
function oneShotServices(): Set<string> {
  return new Set(
    Object.values(services).flatMap((s) =>
      Object.entries(s.depends_on ?? {})
        .filter(([, d]) => d.condition === 'service_completed_successfully')
        .map(([name]) => name),
    ),
  );
}

/** The value compose would use when the variable is unset: `${NAME:-default}` gives `default`. */
function composeDefault(value: string): string {
  return value.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');
}

/** Compose durations as these files write them: `30s`, `1m`. */
function seconds(duration: string): number {
  const match = /^(\d+)(s|m)$/.exec(duration);
  if (!match) throw new Error(`unexpected duration ${duration}`);
  return Number(match[1]) * (match[2] === 'm' ? 60 : 1);
}

/** The container side of `ports` (`host:container`, `container`) and the `expose` list. */
function containerPorts(service: ComposeService): string[] {
  return [...(service.ports ?? []).map((p) => p.split(':').at(-1) ?? ''), ...(service.expose ?? [])].map((p) => p.replace(/\/(tcp|udp)$/, ''));
}

describe('docker-compose.yml and the Dockerfile', () => {
  it('runs the data stores, the six services and the observability stack, each long-running one with a health check', () => {
    expect(Object.keys(services).sort()).toEqual(['postgres', 'redis', 'rabbitmq', ...APP_SERVICES, ...OBSERVABILITY_SERVICES].sort());
    const oneShot = oneShotServices();
    expect([...oneShot]).toEqual(['otel-collector-probe']);
    for (const [name, service] of Object.entries(services)) {
      expect({ name, runnable: Boolean(service.image ?? service.build) }).toEqual({ name, runnable: true });
      if (oneShot.has(name)) {
        // A job that restarted after finishing would never count as completed.
        expect({ name, restart: service.restart ?? 'no' }).toEqual({ name, restart: 'no' });
        continue;
      }
      const test = service.healthcheck?.test ?? [];
      expect({ name, healthcheck: ['CMD', 'CMD-SHELL'].includes(test[0] ?? '') && test.length > 1 }).toEqual({ name, healthcheck: true });
    }
  });

  it('pins every image it pulls to a version', () => {
    for (const [name, service] of Object.entries(services)) {
      if (service.build) continue;
      const tag = /:([^:/]+)$/.exec(service.image ?? '')?.[1];
      expect({ name, pinned: tag !== undefined && tag !== 'latest' && /\d/.test(tag) }).toEqual({ name, pinned: true });
    }
  });

  it('names only files that exist: the Dockerfile, its COPY sources, and each entry point', () => {
    for (const name of APP_SERVICES) {
      const service = services[name]!;
      expect(existsSync(join(ROOT, service.build!.context, service.build!.dockerfile))).toBe(true);
      const entry = service.command?.[1] ?? '';
      expect(entry).toMatch(/\/dist\/main\.js$/);
      expect({ name, source: existsSync(join(ROOT, entry.replace('/dist/', '/src/').replace(/\.js$/, '.ts'))) }).toEqual({ name, source: true });
    }
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    const sources = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => (m[1] ?? '').split(/\s+/));
    expect(sources.length).toBeGreaterThan(5);
    for (const source of sources) expect({ source, exists: existsSync(join(ROOT, source)) }).toEqual({ source, exists: true });
  });

  it('mounts only files that exist, and declares exactly the named volumes it uses', () => {
    const used = new Set<string>();
    let binds = 0;
    for (const [name, service] of Object.entries(services)) {
      for (const { source, target, bind } of mounts(service)) {
        expect({ name, source, target: target.startsWith('/') }).toEqual({ name, source, target: true });
        if (bind) {
          binds += 1;
          expect({ name, source, exists: existsSync(join(ROOT, source)) }).toEqual({ name, source, exists: true });
        } else {
          used.add(source);
        }
      }
    }
    expect(binds).toBeGreaterThanOrEqual(5);
    expect([...used].sort()).toEqual(Object.keys(compose.volumes ?? {}).sort());
  });

  it('wires dependencies, ports and subgraph URLs consistently', () => {
    const published = Object.values(services).flatMap((s) => s.ports ?? []).map((p) => p.split(':')[0]);
    expect(new Set(published).size).toBe(published.length);
    const oneShot = oneShotServices();
    for (const [name, service] of Object.entries(services)) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect({ name, dependency, exists: dependency in services, condition: CONDITIONS.includes(condition) }).toEqual({
          name,
          dependency,
          exists: true,
          condition: true,
        });
        // Waiting for `healthy` on a service without a health check never ends.
        if (condition === 'service_healthy') {
          expect({ name, dependency, healthcheck: Boolean(services[dependency]?.healthcheck) }).toEqual({ name, dependency, healthcheck: true });
        }
        if (oneShot.has(dependency)) expect({ name, dependency, condition }).toEqual({ name, dependency, condition: 'service_completed_successfully' });
      }
    }
    const gateway = services.gateway!;
    for (const { name } of SUBGRAPHS) {
      const port = services[name]!.environment!.PORT;
      expect(gateway.environment![subgraphUrlVariable(name)]).toBe(`http://${name}:${port}/graphql`);
      expect(gateway.depends_on?.[name]?.condition).toBe('service_healthy');
      expect(services[name]!.environment!.DATABASE_URL).toMatch(/^postgres:\/\/.+@postgres:5432\//);
    }
  });

  it("sends every service's traces to the collector's OTLP/HTTP port, sampled by the standard variables", () => {
    const collector = services['otel-collector']!;
    for (const name of APP_SERVICES) {
      const environment = services[name]!.environment!;
      const endpoint = new URL(environment.OTEL_EXPORTER_OTLP_ENDPOINT ?? 'http://unset');
      expect({ name, host: endpoint.hostname, port: endpoint.port }).toEqual({ name, host: 'otel-collector', port: '4318' });
      expect(containerPorts(collector)).toContain(endpoint.port);
      expect(services[name]!.depends_on?.['otel-collector']).toBeDefined();
      expect(environment.OTEL_TRACES_SAMPLER).toBe('parentbased_traceidratio');
      const ratio = Number(composeDefault(environment.OTEL_TRACES_SAMPLER_ARG ?? ''));
      expect({ name, ratio: ratio >= 0 && ratio <= 1 }).toEqual({ name, ratio: true });
    }
  });

  it('gives each service longer to stop than its readiness drain', () => {
    for (const name of APP_SERVICES) {
      const service = services[name]!;
      const drain = Number(service.environment?.SHUTDOWN_DRAIN_SECONDS);
      expect({ name, drain: Number.isInteger(drain) && drain > 0 }).toEqual({ name, drain: true });
      // Docker's default is 10 s, then SIGKILL: the drain plus closing must fit well inside.
      expect({ name, grace: seconds(service.stop_grace_period ?? '10s') >= drain + 10 }).toEqual({ name, grace: true });
    }
  });

  it('has Prometheus scrape /metrics of exactly the six services, at their compose ports, one job per service', () => {
    const prometheus = services.prometheus!;
    const configFlag = (prometheus.command ?? []).find((arg) => arg.startsWith('--config.file='))?.slice('--config.file='.length);
    const mount = mounts(prometheus).find((m) => m.target === configFlag);
    expect(mount?.source).toBe('./infra/deploy/prometheus.yml');
    const config = parse(readFileSync(join(ROOT, mount!.source), 'utf8')) as PrometheusConfig;
    const scraped = config.scrape_configs.flatMap((job) =>
      job.static_configs.flatMap((group) =>
        group.targets.map((target) => ({ job: job.job_name, target, path: job.metrics_path ?? '/metrics', serviceLabel: group.labels?.service })),
      ),
    );
    const expected = APP_SERVICES.map((name) => ({
      // The dashboard tells the runtime series (no `service` label) apart by job: job must be the service's name.
      job: name,
      target: `${name}:${services[name]!.environment!.PORT}`,
      path: '/metrics',
      // A target label `service` would clash with the series' own and rename it to exported_service.
      serviceLabel: undefined,
    }));
    const byJob = (a: { job: string }, b: { job: string }) => a.job.localeCompare(b.job);
    expect(scraped.sort(byJob)).toEqual(expected.sort(byJob));
  });

  it('.env.example documents every variable the services read', () => {
    const documented = new Set([...readFileSync(join(ROOT, '.env.example'), 'utf8').matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]));
    const read = [
      ...Object.keys(commonConfigShape),
      ...Object.keys(eventConfigShape),
      ...Object.keys(breakerConfigShape),
      ...Object.keys(secretsConfigShape),
      ...Object.keys(connectionConfigShape),
      'INTEGRATIONS_SANDBOX',
      ...AI_VARIABLES,
      'PORT',
      'SUPERGRAPH_PATH',
      'SANDBOX_ENABLED',
      'WEB_APP_DIR',
      'WEB_OTLP_TRACES_ENDPOINT',
      'API_KEY_CACHE_SECONDS',
      'TRUST_PROXY',
      ...SUBGRAPHS.map((s) => subgraphUrlVariable(s.name)),
      'OTEL_EXPORTER_OTLP_ENDPOINT',
    ];
    expect(read.filter((v) => !documented.has(v))).toEqual([]);
  });
});
