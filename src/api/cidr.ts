/**
 * IPv4/IPv6 CIDR arithmetic for --service-cluster-ip-range: the first usable address (the
 * `kubernetes` Service's IP and an apiserver certificate SAN) and allocation of free addresses.
 */
import { isIPv4, isIPv6 } from 'node:net';

export interface Cidr {
  family: 4 | 6;
  base: bigint;
  bits: number;
  size: bigint;
}

function ipToBig(ip: string): bigint {
  if (isIPv4(ip)) return ip.split('.').reduce((a, p) => (a << 8n) | BigInt(Number(p)), 0n);
  const [head, tail] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return groups.reduce((a, g) => (a << 16n) | BigInt(parseInt(g || '0', 16)), 0n);
}

function bigToIp(v: bigint, family: 4 | 6): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 255n)).join('.');
  const parts: string[] = [];
  for (let i = 7; i >= 0; i--) parts.push(((v >> BigInt(i * 16)) & 0xffffn).toString(16));
  return parts.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}

export function parseCidr(s: string): Cidr {
  const [ip, bitsStr] = s.split('/');
  const family = isIPv4(ip) ? 4 : isIPv6(ip) ? 6 : 0;
  const total = family === 4 ? 32 : 128;
  const bits = Number(bitsStr);
  if (!family || !/^\d+$/.test(bitsStr ?? '') || bits > total) throw new Error(`invalid CIDR address: ${s}`);
  const size = 1n << BigInt(total - bits);
  const base = (ipToBig(ip) / size) * size;
  return { family: family as 4 | 6, base, bits, size };
}

/** The first address after the network address (e.g. 10.96.0.1 for 10.96.0.0/12). */
export function firstIp(c: Cidr): string {
  return bigToIp(c.base + 1n, c.family);
}

/** A free address in the range (not the network, first, or broadcast address), or undefined. */
export function allocateIp(c: Cidr, taken: Set<string>, random: (max: number) => number): string | undefined {
  const usable = c.size - (c.family === 4 ? 3n : 2n);
  if (usable <= 0n) return undefined;
  const span = usable > 2n ** 31n ? 2 ** 31 : Number(usable);
  const start = BigInt(random(span));
  for (let i = 0n; i < BigInt(Math.min(span, 65536)); i++) {
    const ip = bigToIp(c.base + 2n + ((start + i) % BigInt(span)), c.family);
    if (!taken.has(ip)) return ip;
  }
  return undefined;
}
