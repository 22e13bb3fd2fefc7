import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Address ranges a webhook must not reach unless an admin allows them: everything that is
 * not the public internet. IPv4-mapped IPv6 addresses (`::ffff:10.0.0.1`) are matched
 * against the IPv4 ranges by BlockList itself.
 */
const REFUSED_RANGES: [range: string, subnets: [string, number, 'ipv4' | 'ipv6'][]][] = [
  [
    'loopback',
    [
      ['127.0.0.0', 8, 'ipv4'],
      ['::1', 128, 'ipv6'],
    ],
  ],
  [
    'unspecified',
    [
      ['0.0.0.0', 8, 'ipv4'],
      ['::', 128, 'ipv6'],
    ],
  ],
  [
    'private',
    [
      ['10.0.0.0', 8, 'ipv4'],
      ['172.16.0.0', 12, 'ipv4'],
      ['192.168.0.0', 16, 'ipv4'],
      ['fc00::', 7, 'ipv6'],
    ],
  ],
  ['carrier-grade NAT', [['100.64.0.0', 10, 'ipv4']]],
  [
    'link-local',
    [
      ['169.254.0.0', 16, 'ipv4'],
      ['fe80::', 10, 'ipv6'],
    ],
  ],
  [
    'multicast',
    [
      ['224.0.0.0', 4, 'ipv4'],
      ['ff00::', 8, 'ipv6'],
    ],
  ],
  [
    'reserved',
    [
      ['240.0.0.0', 4, 'ipv4'], // includes the broadcast address
      ['192.0.0.0', 24, 'ipv4'],
      ['198.18.0.0', 15, 'ipv4'],
      ['fec0::', 10, 'ipv6'], // deprecated site-local
      ['::', 96, 'ipv6'], // deprecated IPv4-compatible
      ['64:ff9b::', 96, 'ipv6'], // NAT64: would reach any IPv4 address behind the gateway
      ['64:ff9b:1::', 48, 'ipv6'],
    ],
  ],
];

const CLASSIFIERS = REFUSED_RANGES.map(([range, subnets]) => {
  const list = new BlockList();
  for (const [network, prefix, family] of subnets) list.addSubnet(network, prefix, family);
  return { range, list };
});

/** The refused range an address falls in, or null for a public address. */
export function refusedRange(address: string): string | null {
  const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
  return CLASSIFIERS.find((c) => c.list.check(address, family))?.range ?? null;
}

export type UrlProblem =
  | { kind: 'invalid'; message: string }
  | { kind: 'unresolvable'; host: string; message: string }
  | { kind: 'refused'; host: string; address: string; range: string };

export class WebhookUrlError extends Error {
  constructor(readonly problem: UrlProblem) {
    super(
      problem.kind === 'refused'
        ? `${problem.host} resolves to ${problem.address}, a ${problem.range} address (not allowed by CRM_WEBHOOK_ALLOWED_HOSTS)`
        : problem.message,
    );
  }
}

/** Where a delivery may connect: the host as named and the addresses checked for it. */
export interface CheckedTarget {
  url: URL;
  /** Host name without IPv6 brackets, as TLS must verify it. */
  host: string;
  addresses: { address: string; family: 4 | 6 }[];
}

const DNS_TIMEOUT_MS = 5000;

/**
 * The SSRF guard of outbound webhooks. A URL passes when it is http(s) without credentials
 * and every address its host resolves to is public, or the admin allowed the host name or
 * the address (CRM_WEBHOOK_ALLOWED_HOSTS: names, addresses, CIDR ranges). Deliveries
 * connect to exactly the addresses checked here, so a DNS answer that changes between the
 * check and the connection (DNS rebinding) cannot redirect them.
 */
export class WebhookUrlPolicy {
  private readonly allowedHosts = new Set<string>();
  private readonly allowedAddresses = new BlockList();

  constructor(allowed: readonly string[]) {
    for (const entry of allowed) {
      const [address, prefix] = entry.split('/');
      const family = isIP(address);
      if (family === 0) {
        this.allowedHosts.add(entry.toLowerCase());
        continue;
      }
      const type = family === 4 ? 'ipv4' : 'ipv6';
      if (prefix === undefined) this.allowedAddresses.addAddress(address, type);
      else this.allowedAddresses.addSubnet(address, Number(prefix), type);
    }
  }

  /** Syntax only: scheme, credentials, host present. Throws WebhookUrlError. */
  parse(raw: string): URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new WebhookUrlError({ kind: 'invalid', message: 'must be a URL (http or https)' });
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new WebhookUrlError({ kind: 'invalid', message: 'must be a URL (http or https)' });
    if (url.username !== '' || url.password !== '')
      throw new WebhookUrlError({
        kind: 'invalid',
        message: 'must not contain a user name or password',
      });
    if (url.hostname === '')
      throw new WebhookUrlError({ kind: 'invalid', message: 'must name a host' });
    return url;
  }

  /** Parses, resolves and checks a URL. Throws WebhookUrlError. */
  async check(raw: string): Promise<CheckedTarget> {
    const url = this.parse(raw);
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
    const literal = isIP(host);
    const addresses: CheckedTarget['addresses'] = literal
      ? [{ address: host, family: literal === 4 ? 4 : 6 }]
      : await resolve(host);
    if (this.allowedHosts.has(host)) return { url, host, addresses };
    for (const { address, family } of addresses) {
      if (this.allowedAddresses.check(address, family === 4 ? 'ipv4' : 'ipv6')) continue;
      const range = refusedRange(address);
      if (range) throw new WebhookUrlError({ kind: 'refused', host, address, range });
    }
    return { url, host, addresses };
  }
}

async function resolve(host: string): Promise<CheckedTarget['addresses']> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('DNS lookup timed out')), DNS_TIMEOUT_MS);
  });
  try {
    const found = await Promise.race([lookup(host, { all: true, verbatim: true }), timeout]);
    if (found.length === 0) throw new Error('no addresses');
    return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
  } catch (err) {
    throw new WebhookUrlError({
      kind: 'unresolvable',
      host,
      message: `host ${host} does not resolve (${(err as Error).message})`,
    });
  } finally {
    clearTimeout(timer);
  }
}
