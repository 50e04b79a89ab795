import { BlockList, isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';

/**
 * The address of the client that sent a request. Behind a reverse proxy every request arrives
 * from the proxy's address, so a per-address limit would make the whole team share one; the
 * proxies named in `REPLYDESK_TRUSTED_PROXIES` are therefore looked through, via
 * `X-Forwarded-For`. Only trusted hops are looked through: the header is read from the right
 * (the hop nearest to us) and the first address that is not a trusted proxy is the client, so a
 * client cannot pick its own address by sending the header itself.
 */
export interface ClientAddressResolver {
  (req: IncomingMessage): string;
}

/** `::ffff:10.0.0.1` (IPv4 on a dual-stack socket) → `10.0.0.1`. */
function normalise(address: string): string {
  const trimmed = address.trim();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(trimmed);
  return mapped?.[1] ?? trimmed.toLowerCase();
}

/**
 * Parse `REPLYDESK_TRUSTED_PROXIES`: comma-separated addresses and CIDR ranges
 * (`127.0.0.1, 10.0.0.0/8, fd00::/8`). Returns the problems found, one per bad entry.
 */
export function parseTrustedProxies(raw: string): { list: BlockList; problems: string[] } {
  const list = new BlockList();
  const problems: string[] = [];
  for (const entry of raw
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '')) {
    const [address = '', prefix, extra] = entry.split('/');
    const family = isIP(address);
    const bits = prefix === undefined ? null : Number(prefix);
    const maxBits = family === 6 ? 128 : 32;
    if (
      family === 0 ||
      extra !== undefined ||
      (bits !== null && (!Number.isInteger(bits) || bits < 0 || bits > maxBits))
    ) {
      problems.push(`"${entry}" is not an IP address or CIDR range`);
      continue;
    }
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (bits === null) list.addAddress(address, type);
    else list.addSubnet(address, bits, type);
  }
  return { list, problems };
}

function trusted(list: BlockList, address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  return list.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

export function createClientAddressResolver(
  trustedProxies: BlockList | null,
): ClientAddressResolver {
  return (req) => {
    const peer = normalise(req.socket.remoteAddress ?? 'unknown');
    if (!trustedProxies || !trusted(trustedProxies, peer)) return peer;
    const header = req.headers['x-forwarded-for'];
    const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
      .split(',')
      .map(normalise)
      .filter((hop) => hop !== '');
    for (let i = hops.length - 1; i >= 0; i -= 1) {
      const hop = hops[i] ?? '';
      if (isIP(hop) === 0) return peer; // a forged or garbled chain: trust only the proxy
      if (!trusted(trustedProxies, hop)) return hop;
    }
    return hops[0] ?? peer;
  };
}
