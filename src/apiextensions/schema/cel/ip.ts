/**
 * @module apiextensions/schema/cel/ip
 *
 * IP and CIDR values for the CEL ip/cidr library (k8s.io/apiserver/pkg/cel/library/ip.go,
 * cidr.go): strict parsing as Go's netip (no leading zeros, no zones), address arithmetic on
 * bigints, and RFC 5952 canonical forms.
 */
import { isIPv4, isIPv6 } from '../formats.js';

export interface IP {
  family: 4 | 6;
  value: bigint;
}

export function parseIP(s: string): IP | undefined {
  if (isIPv4(s)) return { family: 4, value: v4(s) };
  if (!isIPv6(s) || s.includes('%')) return undefined;
  let text = s;
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    const x = v4(text.slice(lastColon + 1));
    text = `${text.slice(0, lastColon + 1)}${(x >> 16n).toString(16)}:${(x & 0xffffn).toString(16)}`;
  }
  const [head, rest] = text.includes('::') ? text.split('::') : [text, undefined];
  const h = head ? head.split(':').filter((g) => g !== '') : [];
  const r = rest !== undefined && rest !== '' ? rest.split(':').filter((g) => g !== '') : [];
  const groups = [...h.map((g) => BigInt(`0x${g}`))];
  const right = r.map((g) => BigInt(`0x${g}`));
  const fill = 8 - groups.length - right.length;
  if (fill < 0 || (rest === undefined && fill !== 0)) return undefined;
  const all = [...groups, ...Array<bigint>(fill).fill(0n), ...right];
  return { family: 6, value: all.reduce((a, g) => (a << 16n) | g, 0n) };
}

function v4(s: string): bigint {
  return s.split('.').reduce((a, p) => (a << 8n) | BigInt(Number(p)), 0n);
}

export const bits = (ip: IP): bigint => (ip.family === 4 ? 32n : 128n);

/** Go netip's String(): dotted quad, or RFC 5952 (longest zero run compressed, lowercase). */
export function ipString(ip: IP): string {
  if (ip.family === 4) return [24n, 16n, 8n, 0n].map((sh) => String((ip.value >> sh) & 0xffn)).join('.');
  if (ip.value >> 32n === 0xffffn) {
    return `::ffff:${ipString({ family: 4, value: ip.value & 0xffffffffn })}`;
  }
  const g = [...Array(8).keys()].map((i) => (ip.value >> BigInt((7 - i) * 16)) & 0xffffn);
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (g[i] !== 0n) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0n) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = g.map((x) => x.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

const inNet = (ip: IP, net: string, len: number): boolean => {
  const n = parseIP(net);
  if (!n || n.family !== ip.family) return false;
  const shift = bits(ip) - BigInt(len);
  return ip.value >> shift === n.value >> shift;
};

export const isLoopback = (ip: IP): boolean =>
  ip.family === 4 ? inNet(ip, '127.0.0.0', 8) : ip.value === 1n;
export const isUnspecified = (ip: IP): boolean => ip.value === 0n;
export const isLinkLocalUnicast = (ip: IP): boolean =>
  ip.family === 4 ? inNet(ip, '169.254.0.0', 16) : inNet(ip, 'fe80::', 10);
export const isLinkLocalMulticast = (ip: IP): boolean =>
  ip.family === 4 ? inNet(ip, '224.0.0.0', 24) : inNet(ip, 'ff02::', 16);
const isMulticast = (ip: IP): boolean =>
  ip.family === 4 ? inNet(ip, '224.0.0.0', 4) : inNet(ip, 'ff00::', 8);
export const isGlobalUnicast = (ip: IP): boolean =>
  !isUnspecified(ip) &&
  !isLoopback(ip) &&
  !isMulticast(ip) &&
  !isLinkLocalUnicast(ip) &&
  !(ip.family === 4 && ip.value === 0xffffffffn);

export interface CIDR {
  ip: IP;
  prefix: number;
}

export function parseCIDR(s: string): CIDR | undefined {
  const i = s.lastIndexOf('/');
  if (i < 0) return undefined;
  const ip = parseIP(s.slice(0, i));
  const p = s.slice(i + 1);
  if (!ip || !/^(0|[1-9]\d*)$/.test(p) || BigInt(p) > bits(ip)) return undefined;
  return { ip, prefix: Number(p) };
}

export function masked(c: CIDR): CIDR {
  const shift = bits(c.ip) - BigInt(c.prefix);
  return { ip: { family: c.ip.family, value: (c.ip.value >> shift) << shift }, prefix: c.prefix };
}

export function containsIP(c: CIDR, ip: IP): boolean {
  if (c.ip.family !== ip.family) return false;
  const shift = bits(ip) - BigInt(c.prefix);
  return c.ip.value >> shift === ip.value >> shift;
}

export const cidrString = (c: CIDR): string => `${ipString(c.ip)}/${c.prefix}`;
