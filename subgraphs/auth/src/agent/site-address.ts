import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Addresses a site a person types in must not point at: loopback, private networks, link-local (cloud metadata),
 * and the like. Otherwise connecting a "WordPress site" would make this service send its requests, with the
 * person's credentials, into our own network (server-side request forgery).
 */
const internal = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  internal.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  internal.addSubnet(network, prefix, 'ipv6');
}

function isInternal(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return internal.check(mapped, 'ipv4');
  return internal.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
}

/** Whether `hostname` is, or resolves to, an internal address (an unresolvable name counts as not allowed either). */
export async function isInternalHost(hostname: string): Promise<boolean> {
  const bare = hostname.replace(/^\[|\]$/g, '');
  if (isIP(bare)) return isInternal(bare);
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  try {
    const addresses = await lookup(bare, { all: true });
    return addresses.length === 0 || addresses.some((a) => isInternal(a.address));
  } catch {
    return true;
  }
}
