/**
 * @module apiextensions/schema/cel/library-net
 *
 * More Kubernetes CEL library functions (k8s.io/apiserver/pkg/cel/library):
 * - ip (ip.go): `isIP(s)`, `ip(s)`, `ip.isCanonical(s)`, and on IPs `family()`,
 *   `isUnspecified()`, `isLoopback()`, `isLinkLocalMulticast()`, `isLinkLocalUnicast()`,
 *   `isGlobalUnicast()`;
 * - cidr (cidr.go): `isCIDR(s)`, `cidr(s)`, and on CIDRs `containsIP(ip|s)`,
 *   `containsCIDR(cidr|s)`, `ip()`, `masked()`, `prefixLength()`;
 * - optionals: `optional.of(x)`, `optional.none()`, `hasValue()`, `value()`, `orValue(x)`;
 * - format (format.go): `format.dns1123Label()` ... `.validate(s)` → optional list of errors;
 * - semver (semverlib.go): `isSemver(s)`, `semver(s)`, `major()`, `minor()`, `patch()`,
 *   `isGreaterThan()`, `isLessThan()`, `compareTo()`.
 * IP, CIDR, optional and format values are maps with a private marker key.
 */
import {
  celFunc,
  celMethod,
  CelScalar,
  isCelMap,
  mapType,
  type CelFunc,
  type CelInput,
  type CelValue,
} from '@bufbuild/cel';
import {
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
} from '../../../registry/names.js';
import { matchesFormat } from '../formats.js';
import * as net from './ip.js';

const { BOOL, DYN, INT, STRING } = CelScalar;
const MAP = mapType(STRING, DYN);
const IP_KEY = '@k8s.ip';
const CIDR_KEY = '@k8s.cidr';
const OPT_KEY = '@k8s.optional';
const FMT_KEY = '@k8s.format';

function marker(m: CelValue, key: string): string {
  if (!isCelMap(m) || typeof m.get(key) !== 'string') throw new Error('no such overload');
  return m.get(key) as string;
}
const ipOf = (m: CelValue): net.IP => {
  const ip = net.parseIP(marker(m, IP_KEY));
  if (!ip) throw new Error('IP Address parse error');
  return ip;
};
const cidrOf = (m: CelValue): net.CIDR => {
  const c = net.parseCIDR(marker(m, CIDR_KEY));
  if (!c) throw new Error('network address parse error');
  return c;
};
const ipValue = (ip: net.IP): Record<string, string> => ({ [IP_KEY]: net.ipString(ip) });
const cidrValue = (c: net.CIDR): Record<string, string> => ({ [CIDR_KEY]: net.cidrString(c) });

const ipPredicate = (name: string, f: (ip: net.IP) => boolean): CelFunc =>
  celMethod(name, MAP, [], BOOL, function () {
    return f(ipOf(this));
  });

const ipFuncs: CelFunc[] = [
  celFunc('isIP', [STRING], BOOL, (s) => net.parseIP(s) !== undefined),
  celFunc('ip', [STRING], MAP, (s) => {
    const ip = net.parseIP(s);
    if (!ip) throw new Error(`IP Address "${s}" parse error during conversion from string`);
    return ipValue(ip);
  }),
  celFunc('ip.isCanonical', [STRING], BOOL, (s) => {
    const ip = net.parseIP(s);
    if (!ip) throw new Error(`IP Address "${s}" parse error during conversion from string`);
    return net.ipString(ip) === s;
  }),
  celMethod('family', MAP, [], INT, function () {
    return BigInt(ipOf(this).family);
  }),
  ipPredicate('isUnspecified', net.isUnspecified),
  ipPredicate('isLoopback', net.isLoopback),
  ipPredicate('isLinkLocalMulticast', net.isLinkLocalMulticast),
  ipPredicate('isLinkLocalUnicast', net.isLinkLocalUnicast),
  ipPredicate('isGlobalUnicast', net.isGlobalUnicast),
];

const cidrFuncs: CelFunc[] = [
  celFunc('isCIDR', [STRING], BOOL, (s) => net.parseCIDR(s) !== undefined),
  celFunc('cidr', [STRING], MAP, (s) => {
    const c = net.parseCIDR(s);
    if (!c) throw new Error(`network address "${s}" parse error during conversion from string`);
    return cidrValue(c);
  }),
  celMethod('containsIP', MAP, [DYN], BOOL, function (x) {
    const ip = typeof x === 'string' ? net.parseIP(x) : ipOf(x);
    if (!ip) throw new Error('IP Address parse error');
    return net.containsIP(cidrOf(this), ip);
  }),
  celMethod('containsCIDR', MAP, [DYN], BOOL, function (x) {
    const c = typeof x === 'string' ? net.parseCIDR(x) : cidrOf(x);
    if (!c) throw new Error('network address parse error');
    const self = cidrOf(this);
    return c.prefix >= self.prefix && net.containsIP(self, c.ip);
  }),
  celMethod('prefixLength', MAP, [], INT, function () {
    return BigInt(cidrOf(this).prefix);
  }),
  celMethod('masked', MAP, [], MAP, function () {
    return cidrValue(net.masked(cidrOf(this)));
  }),
];

/** A CEL optional value: optional.of(v), or optional.none() for undefined. */
export function celOptional(v: CelInput | undefined): Record<string, CelInput> {
  return { [OPT_KEY]: v === undefined ? [] : [v] };
}

function optOf(m: CelValue): CelValue[] {
  if (!isCelMap(m) || !m.has(OPT_KEY)) throw new Error('no such overload');
  return [...(m.get(OPT_KEY) as Iterable<CelValue>)];
}
const optFuncs: CelFunc[] = [
  celFunc('optional.of', [DYN], MAP, (x) => ({ [OPT_KEY]: [x] })),
  celFunc('optional.none', [], MAP, () => ({ [OPT_KEY]: [] })),
  celMethod('hasValue', MAP, [], BOOL, function () {
    return optOf(this).length > 0;
  }),
  celMethod('value', MAP, [], DYN, function () {
    const v = optOf(this);
    if (v.length === 0) throw new Error('optional.none() dereference');
    return v[0];
  }),
  celMethod('orValue', MAP, [DYN], DYN, function (d) {
    const v = optOf(this);
    return v.length > 0 ? v[0] : d;
  }),
];

const FORMATS: Record<string, (s: string) => string[]> = {
  dns1123Label: isDNS1123Label,
  dns1123Subdomain: isDNS1123Subdomain,
  dns1035Label: isDNS1035Label,
  qualifiedName: isQualifiedName,
  labelValue: isValidLabelValue,
  dns1123LabelPrefix: (s) => isDNS1123Label(s.endsWith('-') ? `${s}a` : s),
  dns1123SubdomainPrefix: (s) => isDNS1123Subdomain(s.endsWith('-') || s.endsWith('.') ? `${s}a` : s),
  dns1035LabelPrefix: (s) => isDNS1035Label(s.endsWith('-') ? `${s}a` : s),
  uri: (s) => (matchesFormat('uri', s) ? [] : ['invalid URI']),
  uuid: (s) => (matchesFormat('uuid', s) ? [] : ['does not match the UUID format']),
  byte: (s) => (matchesFormat('byte', s) ? [] : ['invalid base64']),
  date: (s) => (matchesFormat('date', s) ? [] : ['invalid date']),
  datetime: (s) => (matchesFormat('date-time', s) ? [] : ['invalid datetime']),
};

const formatFuncs: CelFunc[] = [
  ...Object.keys(FORMATS).map((name) => celFunc(`format.${name}`, [], MAP, () => ({ [FMT_KEY]: name }))),
  celFunc('format.named', [STRING], MAP, (name) =>
    name in FORMATS ? { [OPT_KEY]: [{ [FMT_KEY]: name }] } : { [OPT_KEY]: [] },
  ),
  celMethod('validate', MAP, [STRING], MAP, function (s) {
    const errs = FORMATS[marker(this, FMT_KEY)](s);
    return { [OPT_KEY]: errs.length ? [errs] : [] };
  }),
];

// semver (semverlib.go): strict semver 2.0.0 (`isSemver(s)`, `semver(s)`, getters, comparisons)
const SEMVER_KEY = '@k8s.semver';
const SEMVER_RE =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;
function semverOf(m: CelValue): RegExpExecArray {
  const r = SEMVER_RE.exec(marker(m, SEMVER_KEY));
  if (!r) throw new Error('invalid semver');
  return r;
}
function semverCompare(a: RegExpExecArray, b: RegExpExecArray): number {
  for (let i = 1; i <= 3; i++) {
    const d = Number(a[i]) - Number(b[i]);
    if (d !== 0) return Math.sign(d);
  }
  const pa = a[4];
  const pb = b[4];
  if (pa === undefined || pb === undefined) return pa === pb ? 0 : pa === undefined ? 1 : -1;
  const xa = pa.split('.');
  const xb = pb.split('.');
  for (let i = 0; i < Math.max(xa.length, xb.length); i++) {
    if (xa[i] === undefined) return -1;
    if (xb[i] === undefined) return 1;
    const na = /^\d+$/.test(xa[i]);
    const nb = /^\d+$/.test(xb[i]);
    if (na && nb && Number(xa[i]) !== Number(xb[i])) return Math.sign(Number(xa[i]) - Number(xb[i]));
    if (na !== nb) return na ? -1 : 1;
    if (xa[i] !== xb[i]) return xa[i] < xb[i] ? -1 : 1;
  }
  return 0;
}
/** Compares two semver values; undefined when `a` is not one (the quantity overloads share names). */
export function compareSemver(a: CelValue, b: CelValue): number | undefined {
  if (!isCelMap(a) || !a.has(SEMVER_KEY)) return undefined;
  return semverCompare(semverOf(a), semverOf(b));
}

const semverFuncs: CelFunc[] = [
  celFunc('isSemver', [STRING], BOOL, (s) => SEMVER_RE.test(s)),
  celFunc('semver', [STRING], MAP, (s) => {
    if (!SEMVER_RE.test(s)) throw new Error(`could not parse semver "${s}"`);
    return { [SEMVER_KEY]: s };
  }),
  ...(['major', 'minor', 'patch'] as const).map((name, i) =>
    celMethod(name, MAP, [], INT, function () {
      return BigInt(semverOf(this)[i + 1]);
    }),
  ),
];

/** The ip, cidr, optional, format and semver library functions. */
export const K8S_NET_LIBRARY: CelFunc[] = [
  ...ipFuncs,
  ...cidrFuncs,
  ...optFuncs,
  ...formatFuncs,
  ...semverFuncs,
];
