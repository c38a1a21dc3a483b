import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { SUBGRAPHS, subgraphUrlVariable } from '@umt/infra';

/** The repository's root, where the built entry points are. */
export const ROOT = resolve(__dirname, '..', '..');

/** A port nobody is listening on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface ServiceProcess {
  name: string;
  child: ChildProcess;
  output: () => string;
  /** Sends SIGTERM and resolves to the exit code. */
  stop(): Promise<number | null>;
}

/** Starts an entry point (e.g. 'subgraphs/brand/dist/main.js') as its own node process. */
export function startProcess(name: string, entry: string, env: Record<string, string>): ServiceProcess {
  const child = spawn(process.execPath, [resolve(ROOT, entry)], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  return {
    name,
    child,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** Polls a readiness URL until it answers 200; fails with the process output after the deadline. */
export async function waitReady(url: string, service: ServiceProcess, timeoutMs = 45_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (service.child.exitCode !== null) throw new Error(`${service.name} exited early:\n${service.output()}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${service.name} not ready at ${url} after ${timeoutMs} ms:\n${service.output()}`);
}

export interface RunningServices {
  /** The gateway's GraphQL endpoint. */
  url: string;
  gateway: ServiceProcess;
  subgraphs: ServiceProcess[];
  /** Port of each subgraph, by name. */
  ports: Record<string, number>;
}

/**
 * Starts the five subgraphs and the gateway as their own node processes on free ports, as docker-compose runs
 * them, and waits until each is ready (subgraphs migrated and consuming before the gateway starts).
 * Every process is also pushed to `running`, so the caller's afterAll can stop them even when a start fails.
 */
export async function startServices(env: Record<string, string>, running: ServiceProcess[]): Promise<RunningServices> {
  const urls: Record<string, string> = {};
  const ports: Record<string, number> = {};
  const subgraphs: ServiceProcess[] = [];
  for (const { name } of SUBGRAPHS) {
    const port = await freePort();
    const service = startProcess(name, `subgraphs/${name}/dist/main.js`, { ...env, PORT: String(port) });
    running.push(service);
    subgraphs.push(service);
    ports[name] = port;
    urls[subgraphUrlVariable(name)] = `http://127.0.0.1:${port}/graphql`;
  }
  await Promise.all(subgraphs.map((s) => waitReady(`http://127.0.0.1:${ports[s.name]}/health/ready`, s)));
  const gatewayPort = await freePort();
  const gateway = startProcess('gateway', 'gateway/dist/main.js', { ...env, ...urls, PORT: String(gatewayPort) });
  running.push(gateway);
  await waitReady(`http://127.0.0.1:${gatewayPort}/health/ready`, gateway);
  return { url: `http://127.0.0.1:${gatewayPort}/graphql`, gateway, subgraphs, ports };
}

/** SUBGRAPH_<NAME>_URL for each subgraph listening on `ports`, as startServices passes them to its gateway. */
export function subgraphUrlEnv(ports: Record<string, number>): Record<string, string> {
  return Object.fromEntries(
    SUBGRAPHS.filter(({ name }) => ports[name] !== undefined).map(({ name }) => [subgraphUrlVariable(name), `http://127.0.0.1:${ports[name]}/graphql`]),
  );
}

/**
 * Starts one more gateway process, on a free port, over subgraphs already running on `ports` (e.g. the ones
 * startServices started), with `env` (e.g. another sampler); pushed to `running` like the others.
 */
export async function startGateway(
  env: Record<string, string>,
  ports: Record<string, number>,
  running: ServiceProcess[],
  name = 'gateway',
): Promise<{ url: string; gateway: ServiceProcess }> {
  const port = await freePort();
  const gateway = startProcess(name, 'gateway/dist/main.js', { ...env, ...subgraphUrlEnv(ports), PORT: String(port) });
  running.push(gateway);
  await waitReady(`http://127.0.0.1:${port}/health/ready`, gateway);
  return { url: `http://127.0.0.1:${port}/graphql`, gateway };
}
