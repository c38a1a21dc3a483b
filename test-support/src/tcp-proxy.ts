import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy on loopback that a test owns and can break in the ways a dependency breaks, for one process only
 * (the machine's services are never touched):
 * - cut(): drops every open connection and refuses new ones (accepted, then closed at once);
 * - refuse(): refuses new connections, leaves open ones alone;
 * - reset(): resets every open connection (TCP RST, "read ECONNRESET" on the other side) and refuses new ones;
 * - hang(): accepts connections but passes nothing either way, as a server that stopped answering would;
 * - restore(): back to normal; a hung connection resumes with what was held (as after a healed partition).
 */
export interface TcpProxy {
  port: number;
  cut(): void;
  refuse(): void;
  reset(): void;
  hang(): void;
  restore(): void;
  /** Connections open right now. */
  connections(): number;
  close(): Promise<void>;
}

type Mode = 'open' | 'refusing' | 'hanging';

interface Link {
  client: Socket;
  upstream: Socket;
  flowing: boolean;
}

/** Starts a proxy from a free loopback port to `target` (e.g. the machine's PostgreSQL, RabbitMQ or Redis). */
export function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const links = new Set<Link>();
  let mode: Mode = 'open';

  const flow = (link: Link) => {
    if (link.flowing) return;
    link.flowing = true;
    link.client.pipe(link.upstream);
    link.upstream.pipe(link.client);
  };
  const hold = (link: Link) => {
    if (!link.flowing) return;
    link.flowing = false;
    link.client.unpipe(link.upstream);
    link.upstream.unpipe(link.client);
    link.client.pause();
    link.upstream.pause();
  };

  const server: Server = createServer((client) => {
    client.on('error', () => client.destroy());
    if (mode === 'refusing') {
      client.destroy();
      return;
    }
    const upstream = createConnection(target);
    upstream.on('error', () => upstream.destroy());
    const link: Link = { client, upstream, flowing: false };
    links.add(link);
    client.on('close', () => {
      upstream.destroy();
      links.delete(link);
    });
    upstream.on('close', () => {
      client.destroy();
      links.delete(link);
    });
    if (mode === 'open') flow(link);
    else client.pause();
  });

  const destroyAll = (how: 'destroy' | 'reset') => {
    for (const link of links) {
      for (const socket of [link.client, link.upstream]) {
        if (how === 'reset' && typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
        else socket.destroy();
      }
    }
    links.clear();
  };

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({
        port,
        cut() {
          mode = 'refusing';
          destroyAll('destroy');
        },
        refuse() {
          mode = 'refusing';
        },
        reset() {
          mode = 'refusing';
          destroyAll('reset');
        },
        hang() {
          mode = 'hanging';
          for (const link of links) hold(link);
        },
        restore() {
          mode = 'open';
          for (const link of links) flow(link);
        },
        connections: () => links.size,
        close: () =>
          new Promise<void>((done) => {
            mode = 'refusing';
            destroyAll('destroy');
            server.close(() => done());
          }),
      });
    });
  });
}

/** `url` with its host and port replaced by the proxy's. */
export function throughProxy(url: string, proxy: TcpProxy): string {
  const proxied = new URL(url);
  proxied.hostname = '127.0.0.1';
  proxied.port = String(proxy.port);
  return proxied.toString();
}
