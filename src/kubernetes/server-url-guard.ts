import { BlockList, isIP, isIPv4 } from 'node:net';
import { AppError } from '../common/app-error';
import { ConnectionPolicy } from './cluster-connection';

type Family = 'ipv4' | 'ipv6';
type Verdict = 'forbidden' | 'loopback';

interface AddressRule {
  family: Family;
  network: string;
  prefix: number;
  verdict: Verdict;
  /** Shown to the user, so a refusal explains itself. */
  why: string;
}

/**
 * Addresses a cluster URL must never point at. Private ranges (10/8, 172.16/12, 192.168/16,
 * fc00::/7, 100.64/10) stay allowed: that is where real API servers live.
 */
const ADDRESS_RULES: readonly AddressRule[] = [
  {
    family: 'ipv4',
    network: '0.0.0.0',
    prefix: 8,
    verdict: 'forbidden',
    why: 'an unspecified address (it reaches this host)',
  },
  {
    family: 'ipv4',
    network: '169.254.0.0',
    prefix: 16,
    verdict: 'forbidden',
    why: 'link-local, where cloud metadata services answer',
  },
  { family: 'ipv4', network: '224.0.0.0', prefix: 4, verdict: 'forbidden', why: 'multicast' },
  {
    family: 'ipv4',
    network: '255.255.255.255',
    prefix: 32,
    verdict: 'forbidden',
    why: 'broadcast',
  },
  {
    family: 'ipv4',
    network: '100.100.100.200',
    prefix: 32,
    verdict: 'forbidden',
    why: 'the Alibaba Cloud metadata service',
  },
  {
    family: 'ipv4',
    network: '168.63.129.16',
    prefix: 32,
    verdict: 'forbidden',
    why: 'the Azure platform (WireServer) endpoint',
  },
  { family: 'ipv4', network: '127.0.0.0', prefix: 8, verdict: 'loopback', why: 'loopback' },
  {
    family: 'ipv6',
    network: '::',
    prefix: 128,
    verdict: 'forbidden',
    why: 'an unspecified address (it reaches this host)',
  },
  { family: 'ipv6', network: 'fe80::', prefix: 10, verdict: 'forbidden', why: 'link-local' },
  { family: 'ipv6', network: 'ff00::', prefix: 8, verdict: 'forbidden', why: 'multicast' },
  {
    family: 'ipv6',
    network: 'fd00:ec2::254',
    prefix: 128,
    verdict: 'forbidden',
    why: 'the AWS metadata service',
  },
  { family: 'ipv6', network: '::1', prefix: 128, verdict: 'loopback', why: 'loopback' },
];

const MATCHERS = ADDRESS_RULES.map((rule) => {
  const list = new BlockList();
  list.addSubnet(rule.network, rule.prefix, rule.family);
  return { rule, list };
});

/** Names that resolve to metadata services on the big clouds, whatever DNS a test would see. */
const METADATA_NAMES = new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'instance-data',
  'instance-data.ec2.internal',
]);

/** RFC 6761 reserves localhost and *.localhost; the others are Debian's /etc/hosts defaults. */
const LOOPBACK_NAMES = new Set([
  'localhost',
  'localhost.localdomain',
  'ip6-localhost',
  'ip6-loopback',
]);

const LOOPBACK_NAME_RULE: AddressRule = {
  family: 'ipv4',
  network: '127.0.0.0',
  prefix: 8,
  verdict: 'loopback',
  why: 'a loopback name',
};
const METADATA_NAME_RULE: AddressRule = {
  family: 'ipv4',
  network: '169.254.169.254',
  prefix: 32,
  verdict: 'forbidden',
  why: 'a cloud metadata service name',
};

/** Sixteen-bit groups of any textual IPv6 address (WHATWG serialises it compressed, hex only). */
function ipv6Groups(address: string): number[] {
  const canonical = new URL(`http://[${address}]`).hostname.slice(1, -1);
  const [head, tail] = canonical.includes('::') ? canonical.split('::') : [canonical, undefined];
  const parse = (part: string | undefined) =>
    part ? part.split(':').map((group) => parseInt(group, 16)) : [];
  const before = parse(head);
  const after = parse(tail);
  return [...before, ...new Array<number>(8 - before.length - after.length).fill(0), ...after];
}

/**
 * The IPv4 address an IPv6 address carries, if any: IPv4-mapped (::ffff:a.b.c.d, which the
 * socket layer dials as IPv4), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) — each a
 * way to smuggle 169.254.169.254 past a check that only looks at IPv6 ranges.
 */
function embeddedIpv4(address: string): string | undefined {
  const g = ipv6Groups(address);
  const zeroPrefix = g.slice(0, 5).every((group) => group === 0);
  const mapped = zeroPrefix && g[5] === 0xffff;
  const compatible = zeroPrefix && g[5] === 0 && !(g[6] === 0 && g[7] <= 1);
  const nat64 = g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((group) => group === 0);
  if (!mapped && !compatible && !nat64) return undefined;
  return [g[6] >> 8, g[6] & 0xff, g[7] >> 8, g[7] & 0xff].join('.');
}

function ruleForIp(address: string): AddressRule | undefined {
  const family: Family = isIPv4(address) ? 'ipv4' : 'ipv6';
  const direct = MATCHERS.find((m) => m.rule.family === family && m.list.check(address, family));
  if (direct) return direct.rule;
  const embedded = family === 'ipv6' ? embeddedIpv4(address) : undefined;
  return embedded ? ruleForIp(embedded) : undefined;
}

/** The rule a URL host (IP literal or DNS name) falls under, without resolving DNS. */
function ruleForHost(hostname: string): AddressRule | undefined {
  const bare = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  if (isIP(bare)) return ruleForIp(bare);
  // A trailing dot names the same DNS entry ("localhost." is localhost).
  const name = bare.toLowerCase().replace(/\.+$/, '');
  if (LOOPBACK_NAMES.has(name) || name.endsWith('.localhost')) return LOOPBACK_NAME_RULE;
  if (METADATA_NAMES.has(name)) return METADATA_NAME_RULE;
  return undefined;
}

function invalid(message: string): AppError {
  // Never echo the URL: it may carry a password or a token in its query.
  return new AppError('CLUSTER_URL_INVALID', `The cluster URL ${message}`);
}

/** Structural checks on the raw text, so no parser leniency decides what is connected to. */
function parseStrictly(url: string): URL {
  if (typeof url !== 'string' || url.length === 0 || url.length > 2048)
    throw invalid('must be a string of 1 to 2048 characters');
  // WHATWG URL silently strips whitespace and control characters, reads "\" as "/" and maps
  // Unicode digits to ASCII; other parsers may not. Visible ASCII leaves nothing to interpret.
  if (!/^[\x21-\x7e]+$/.test(url) || url.includes('\\'))
    throw invalid('may only contain visible ASCII without backslashes (write IDN hosts as xn--)');
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^/?#]/i.test(url))
    throw invalid('is not an absolute URL with a host (scheme://host[:port][/path])');
  if (/[?#]/.test(url)) throw invalid('must not have a query or fragment');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid('cannot be parsed');
  }
  if (parsed.username || parsed.password)
    throw invalid(
      'must not carry credentials (user:password@host); give them as a token or certificate',
    );
  if (!parsed.hostname) throw invalid('has no host');
  return parsed;
}

function refuseByRule(host: string, rule: AddressRule | undefined, policy: ConnectionPolicy): void {
  if (rule?.verdict === 'forbidden') {
    throw new AppError(
      'CLUSTER_URL_FORBIDDEN_ADDRESS',
      `The cluster host ${host} is ${rule.why}; CloudPilot never connects there`,
      { host },
    );
  }
  if (rule?.verdict === 'loopback' && !policy.allowLoopback) {
    throw new AppError(
      'CLUSTER_URL_LOOPBACK_FORBIDDEN',
      `The cluster host ${host} is ${rule.why}; loopback clusters are allowed only when the operator enables them`,
      { host },
    );
  }
}

/**
 * Checks an untrusted API server URL before anything connects to it, and returns it parsed.
 * Refusals, each a 400: `CLUSTER_URL_INVALID` (not an absolute URL with a host; credentials,
 * query or fragment present), `CLUSTER_URL_FORBIDDEN_ADDRESS` (link-local / metadata, unspecified,
 * multicast, broadcast — also when written in decimal, octal, hex or IPv4-in-IPv6 form, which
 * WHATWG URL normalises first), `CLUSTER_URL_INSECURE_SCHEME` (not https; http only with
 * `allowPlainHttpLoopback` and a loopback host), `CLUSTER_URL_LOOPBACK_FORBIDDEN` (loopback
 * without `allowLoopback`). Private ranges are allowed.
 *
 * This only sees the URL's text: a DNS name that resolves to a forbidden address (e.g.
 * `169.254.169.254.nip.io`) passes here, so every connection must also check the addresses it
 * resolves to, with {@link assertSafeResolvedAddress}.
 */
export function assertSafeServerUrl(url: string, policy: ConnectionPolicy): URL {
  const parsed = parseStrictly(url);
  const rule = ruleForHost(parsed.hostname);
  if (rule?.verdict === 'forbidden') refuseByRule(parsed.hostname, rule, policy);
  const plainHttpAllowed =
    parsed.protocol === 'http:' && policy.allowPlainHttpLoopback && rule?.verdict === 'loopback';
  if (parsed.protocol !== 'https:' && !plainHttpAllowed) {
    const scheme = parsed.protocol.slice(0, -1);
    throw new AppError(
      'CLUSTER_URL_INSECURE_SCHEME',
      `The cluster URL uses ${scheme}; CloudPilot connects to API servers over https only`,
      { scheme },
    );
  }
  refuseByRule(parsed.hostname, rule, policy);
  return parsed;
}

/**
 * Connect-time half of {@link assertSafeServerUrl}: checks one address a cluster host name
 * resolved to (as `dns.lookup` returns it), so DNS cannot point an accepted name at a metadata
 * service or, without `allowLoopback`, at this host. Throws `CLUSTER_URL_FORBIDDEN_ADDRESS` or
 * `CLUSTER_URL_LOOPBACK_FORBIDDEN`; anything that is not an IP address is `CLUSTER_URL_INVALID`.
 */
export function assertSafeResolvedAddress(address: string, policy: ConnectionPolicy): void {
  // A zone index (fe80::1%eth0) does not change which range the address is in.
  const bare = address.replace(/%.*$/, '');
  if (!isIP(bare)) throw invalid('host did not resolve to an IP address');
  refuseByRule(address, ruleForIp(bare), policy);
}

/**
 * The form of a checked URL that connections use: origin plus path without trailing slashes,
 * because client-node appends `/api/...` itself. Using this (not the raw text) means what was
 * checked is exactly what is dialled.
 */
export function formatServerUrl(url: URL): string {
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}
