/**
 * Which names the development certificate covers, and which of them the local CA may certify.
 *
 * The CA carries X.509 Name Constraints (RFC 5280 §4.2.1.10, LOCAL_NAME_CONSTRAINTS in
 * src/tls/ca.ts): a dNSName constraint is satisfied by the name itself and by any name formed by
 * adding labels on its left; an iPAddress constraint by the addresses of its range. Browsers and
 * OpenSSL refuse a leaf that names anything else, so names outside the constraints are refused here
 * with a clear message instead of producing a certificate no client accepts.
 *
 * Chromium does not accept a wildcard directly under a top-level name (`*.localhost` matches no
 * host there: net::ERR_CERT_COMMON_NAME_INVALID, seen with Debian's Chromium in
 * test/dev/chromium.test.ts), so `app.localhost` needs `--host app.localhost`. The wildcard is kept
 * for clients that accept it (OpenSSL-based ones such as Node and curl).
 */
import { BlockList, isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { NetworkInterfaceInfo } from 'node:os';
import { LOCAL_NAME_CONSTRAINTS } from '../tls/ca.js';

/** Names every development certificate covers. */
export const DEFAULT_CERT_NAMES: readonly string[] = ['localhost', '*.localhost', '127.0.0.1', '::1'];

/** Addresses the proxy listens on unless told otherwise (IPv4 and IPv6 loopback). */
export const DEFAULT_BIND: readonly string[] = ['127.0.0.1', '::1'];

const permittedIps = new BlockList();
for (const range of LOCAL_NAME_CONSTRAINTS.ip) {
  const [addr, bits] = range.split('/');
  permittedIps.addSubnet(addr!, Number(bits), isIP(addr!) === 6 ? 'ipv6' : 'ipv4');
}

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/** `[::1]` → `::1`; other text unchanged. */
export function stripBrackets(name: string): string {
  return name.startsWith('[') && name.endsWith(']') ? name.slice(1, -1) : name;
}

/** An IP address in its shortest form (`0:0:0:0:0:0:0:1` → `::1`, as the WHATWG URL parser writes it). */
export function canonicalIp(ip: string): string {
  const bare = stripBrackets(ip.trim());
  if (isIP(bare) !== 6) return bare;
  try {
    return stripBrackets(new URL(`http://[${bare}]/`).hostname);
  } catch {
    return bare.toLowerCase();
  }
}

/** An IP address in canonical form, with IPv4-mapped IPv6 (`::ffff:127.0.0.1`) turned into IPv4. */
export function normalizeAddress(address: string): string {
  const bare = stripBrackets(address.trim());
  const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  if (dotted) return dotted[1]!;
  const a = canonicalIp(bare);
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(a);
  if (!hex) return a;
  const hi = parseInt(hex[1]!, 16);
  const lo = parseInt(hex[2]!, 16);
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
}

export function isLoopbackAddress(address: string): boolean {
  const a = normalizeAddress(address);
  const v = isIP(a);
  return v !== 0 && loopback.check(a, v === 6 ? 'ipv6' : 'ipv4');
}

/** The IP address is inside the CA's permitted iPAddress subtrees. */
export function ipWithinConstraints(address: string): boolean {
  const a = normalizeAddress(address);
  const v = isIP(a);
  return v !== 0 && permittedIps.check(a, v === 6 ? 'ipv6' : 'ipv4');
}

/** The DNS name (a `*.` wildcard is judged by what follows it) is inside a permitted dNSName subtree. */
export function dnsWithinConstraints(name: string): boolean {
  const n = (name.startsWith('*.') ? name.slice(2) : name).toLowerCase();
  return LOCAL_NAME_CONSTRAINTS.dns.some((c) => {
    const base = c.replace(/^\./, '');
    return n === base || n.endsWith('.' + base);
  });
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * Checks one `--host` value and returns it normalised (lower case, no brackets), or throws an Error
 * whose message is the one line the command prints.
 */
export function checkHostName(input: string): string {
  const raw = input.trim();
  if (raw === '') throw new Error('--host needs a name, e.g. --host myapp.localhost');
  const bare = stripBrackets(raw);
  if (isIP(bare)) {
    const ip = normalizeAddress(bare);
    if (!ipWithinConstraints(ip)) {
      throw new Error(
        `--host ${raw}: the local CA may only certify loopback and private addresses (${LOCAL_NAME_CONSTRAINTS.ip.join(', ')})`,
      );
    }
    return ip;
  }
  const name = raw.toLowerCase().replace(/\.$/, '');
  const labels = (name.startsWith('*.') ? name.slice(2) : name).split('.');
  if (name.length > 253 || labels.some((l) => !LABEL.test(l))) {
    throw new Error(`--host ${JSON.stringify(raw)} is not a valid host name`);
  }
  if (!dnsWithinConstraints(name)) {
    const allowed = LOCAL_NAME_CONSTRAINTS.dns.filter((d) => !d.startsWith('.'));
    throw new Error(
      `--host ${raw}: the local CA may only certify local names (${allowed.join(', ')} and names under them), ` +
        `so that a leaked CA key cannot impersonate real sites; use e.g. ${labels[0] ?? 'myapp'}.localhost or ${labels[0] ?? 'myapp'}.test`,
    );
  }
  return name;
}

export interface LanAddresses {
  /** Private addresses of this machine's non-loopback interfaces, in the CA's constraints. */
  usable: string[];
  /** Non-loopback addresses outside the constraints (public, CGNAT ...), with why they are skipped. */
  skipped: string[];
}

/**
 * The machine's LAN addresses: IPv4 and unique-local IPv6 addresses of non-internal interfaces.
 * Link-local addresses are left out (they need a zone id in URLs, which browsers do not accept).
 */
export function lanAddresses(
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces(),
): LanAddresses {
  const usable: string[] = [];
  const skipped: string[] = [];
  for (const list of Object.values(interfaces)) {
    for (const i of list ?? []) {
      if (i.internal) continue;
      const a = normalizeAddress(i.address);
      if (isLoopbackAddress(a) || /^fe[89ab]/i.test(a)) continue;
      if (ipWithinConstraints(a)) {
        if (!usable.includes(a)) usable.push(a);
      } else if (!skipped.includes(a)) skipped.push(a);
    }
  }
  return { usable, skipped };
}

/** The names of the development certificate: the defaults, then extra names, without duplicates, in order. */
export function certificateNames(extra: readonly string[] = []): string[] {
  const out: string[] = [];
  for (const n of [...DEFAULT_CERT_NAMES, ...extra]) {
    const v = isIP(stripBrackets(n)) ? normalizeAddress(n) : n.toLowerCase();
    if (!out.includes(v)) out.push(v);
  }
  return out;
}

/** The host part of a URL for this name: `[::1]` for IPv6. */
export function urlHost(name: string): string {
  return isIP(name) === 6 ? `[${name}]` : name;
}
