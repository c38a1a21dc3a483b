import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { commonConfigShape, eventConfigShape, SUBGRAPHS, subgraphUrlVariable } from '@umt/infra';
import { parse } from 'yaml';
import { ROOT } from './support/processes';

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}

const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
};
const services = compose.services;
const APP_SERVICES = [...SUBGRAPHS.map((s) => s.name), 'gateway'];

describe('docker-compose.yml and the Dockerfile', () => {
  it('runs postgres, redis, rabbitmq and the six services, each with a health check', () => {
    expect(Object.keys(services).sort()).toEqual(['postgres', 'redis', 'rabbitmq', ...APP_SERVICES].sort());
    for (const [name, service] of Object.entries(services)) {
      expect({ name, healthcheck: Array.isArray(service.healthcheck?.test) }).toEqual({ name, healthcheck: true });
      expect({ name, runnable: Boolean(service.image ?? service.build) }).toEqual({ name, runnable: true });
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

  it('wires dependencies, ports and subgraph URLs consistently', () => {
    const published = Object.values(services).flatMap((s) => s.ports ?? []).map((p) => p.split(':')[0]);
    expect(new Set(published).size).toBe(published.length);
    for (const [name, service] of Object.entries(services)) {
      for (const dependency of Object.keys(service.depends_on ?? {})) {
        expect({ name, dependency, exists: dependency in services }).toEqual({ name, dependency, exists: true });
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

  it('.env.example documents every variable the services read', () => {
    const documented = new Set([...readFileSync(join(ROOT, '.env.example'), 'utf8').matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]));
    const read = [
      ...Object.keys(commonConfigShape),
      ...Object.keys(eventConfigShape),
      'PORT',
      'SUPERGRAPH_PATH',
      'SANDBOX_ENABLED',
      'API_KEY_CACHE_SECONDS',
      'TRUST_PROXY',
      ...SUBGRAPHS.map((s) => subgraphUrlVariable(s.name)),
      'OTEL_EXPORTER_OTLP_ENDPOINT',
    ];
    expect(read.filter((v) => !documented.has(v))).toEqual([]);
  });
});
