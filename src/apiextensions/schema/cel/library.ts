/**
 * @module apiextensions/schema/cel/library
 *
 * The Kubernetes CEL library functions (k8s.io/apiserver/pkg/cel/library) on top of
 * @bufbuild/cel's standard functions and its strings extension:
 * - lists (lists.go): `isSorted()`, `sum()`, `min()`, `max()`, `indexOf(x)`, `lastIndexOf(x)`;
 * - cel-go ext.Lists: `slice()`, `flatten()`, `sort()`, `distinct()`, `reverse()`, `lists.range(n)`;
 * - cel-go ext.Sets: `sets.contains()`, `sets.equivalent()`, `sets.intersects()`; string `reverse()`;
 * - regex (regex.go): `find(re)`, `findAll(re)`, `findAll(re, n)`;
 * - urls (urls.go): `isURL(s)`, `url(s)` with `getScheme()`, `getHost()`, `getHostname()`,
 *   `getPort()`, `getEscapedPath()`, `getQuery()`;
 * - quantity (quantity.go): `isQuantity(s)`, `quantity(s)` with `isInteger()`, `asInteger()`,
 *   `asApproximateFloat()`, `sign()`, `add()`, `sub()`, `isGreaterThan()`, `isLessThan()`,
 *   `compareTo()`.
 * and (library-net.ts) ip, cidr, optional and format.
 * URL and Quantity values are maps carrying a private marker key (@bufbuild/cel has no opaque
 * types without protobuf descriptors).
 */
import {
  celFunc,
  celMethod,
  CelScalar,
  isCelList,
  isCelMap,
  listType,
  mapType,
  type CelFunc,
  type CelValue,
} from '@bufbuild/cel';
import { compilePattern } from '../openapi.js';
import { compareSemver, K8S_NET_LIBRARY } from './library-net.js';
import { parseQuantity, quantityString, type Quantity } from './quantity.js';

const { BOOL, DYN, INT, STRING, DOUBLE } = CelScalar;
const LIST = listType(DYN);
const MAP = mapType(STRING, DYN);
const URL_KEY = '@k8s.url';
const QTY_KEY = '@k8s.quantity';

/** Orders two CEL scalars (int/uint/double/string/bool/bytes); throws when incomparable. */
export function compareCel(a: CelValue, b: CelValue): number {
  const num = (v: CelValue): number | bigint | undefined =>
    typeof v === 'bigint' || typeof v === 'number' ? v : undefined;
  const na = num(a);
  const nb = num(b);
  if (na !== undefined && nb !== undefined) return na < nb ? -1 : na > nb ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  throw new Error('no such overload');
}

function listValues(l: Iterable<CelValue>): CelValue[] {
  return [...l];
}

function celEq(a: CelValue, b: CelValue): boolean {
  try {
    return compareCel(a, b) === 0;
  } catch {
    return a === b;
  }
}

const listFuncs: CelFunc[] = [
  celMethod('isSorted', LIST, [], BOOL, function () {
    const v = listValues(this);
    return v.every((x, i) => i === 0 || compareCel(v[i - 1], x) <= 0);
  }),
  celMethod('sum', LIST, [], DYN, function () {
    const v = listValues(this);
    if (v.length === 0) return 0n;
    if (typeof v[0] === 'bigint') return v.reduce((a, b) => (a as bigint) + (b as bigint), 0n);
    return v.reduce((a, b) => (a as number) + (b as number), 0);
  }),
  celMethod('min', LIST, [], DYN, function () {
    const v = listValues(this);
    if (v.length === 0) throw new Error('min called on empty list');
    return v.reduce((a, b) => (compareCel(b, a) < 0 ? b : a));
  }),
  celMethod('max', LIST, [], DYN, function () {
    const v = listValues(this);
    if (v.length === 0) throw new Error('max called on empty list');
    return v.reduce((a, b) => (compareCel(b, a) > 0 ? b : a));
  }),
  celMethod('indexOf', LIST, [DYN], INT, function (x) {
    return BigInt(listValues(this).findIndex((v) => celEq(v, x)));
  }),
  celMethod('lastIndexOf', LIST, [DYN], INT, function (x) {
    const v = listValues(this);
    for (let i = v.length - 1; i >= 0; i--) if (celEq(v[i], x)) return BigInt(i);
    return -1n;
  }),
];

function regex(re: string): RegExp {
  const r = compilePattern(re);
  if (!r) throw new Error(`invalid regex: ${re}`);
  return r;
}

// cel-go ext.Lists (in the Kubernetes CEL environment from 1.31 on)
const extListFuncs: CelFunc[] = [
  celMethod('slice', LIST, [INT, INT], LIST, function (a, b) {
    const v = listValues(this);
    if (a < 0n || b < a || b > BigInt(v.length))
      throw new Error(`cannot slice(${a}, ${b}) a list of size ${v.length}`);
    return v.slice(Number(a), Number(b));
  }),
  celMethod('flatten', LIST, [], LIST, function () {
    return listValues(this).flatMap((x) => (isCelList(x) ? listValues(x) : [x]));
  }),
  celMethod('sort', LIST, [], LIST, function () {
    return listValues(this).sort(compareCel);
  }),
  celMethod('distinct', LIST, [], LIST, function () {
    const out: CelValue[] = [];
    for (const x of listValues(this)) if (!out.some((y) => celEq(x, y))) out.push(x);
    return out;
  }),
  celMethod('reverse', LIST, [], LIST, function () {
    return listValues(this).reverse();
  }),
  celFunc('lists.range', [INT], LIST, (n) => Array.from({ length: Number(n) }, (_, i) => BigInt(i))),
];

// ext.Sets (sets.go in cel-go): membership over lists, by CEL equality
const setsFuncs: CelFunc[] = [
  celFunc('sets.contains', [LIST, LIST], BOOL, (a, b) => {
    const av = listValues(a);
    return listValues(b).every((x) => av.some((y) => celEq(x, y)));
  }),
  celFunc('sets.equivalent', [LIST, LIST], BOOL, (a, b) => {
    const av = listValues(a);
    const bv = listValues(b);
    return bv.every((x) => av.some((y) => celEq(x, y))) && av.every((x) => bv.some((y) => celEq(x, y)));
  }),
  celFunc('sets.intersects', [LIST, LIST], BOOL, (a, b) => {
    const av = listValues(a);
    return listValues(b).some((x) => av.some((y) => celEq(x, y)));
  }),
  celMethod('reverse', STRING, [], STRING, function () {
    return [...this].reverse().join('');
  }),
];

const regexFuncs: CelFunc[] = [
  celMethod('find', STRING, [STRING], STRING, function (re) {
    return regex(re).exec(this)?.[0] ?? '';
  }),
  celMethod('findAll', STRING, [STRING], listType(STRING), function (re) {
    return [...this.matchAll(new RegExp(regex(re).source, 'gu'))].map((m) => m[0]);
  }),
  celMethod('findAll', STRING, [STRING, INT], listType(STRING), function (re, n) {
    const all = [...this.matchAll(new RegExp(regex(re).source, 'gu'))].map((m) => m[0]);
    return n < 0n ? all : all.slice(0, Number(n));
  }),
];

function parseURL(s: string): URL | undefined {
  if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(s) && !s.startsWith('/')) return undefined;
  try {
    return new URL(s, s.startsWith('/') ? 'http://relative.invalid' : undefined);
  } catch {
    return undefined;
  }
}

function urlOf(m: CelValue): { raw: string; u: URL } {
  if (!isCelMap(m) || typeof m.get(URL_KEY) !== 'string') throw new Error('no such overload');
  const raw = m.get(URL_KEY) as string;
  const u = parseURL(raw);
  if (!u) throw new Error(`URL parse error during conversion from string: ${raw}`);
  return { raw, u };
}

const urlGetter = (name: string, f: (u: URL, raw: string) => string): CelFunc =>
  celMethod(name, MAP, [], STRING, function () {
    const { u, raw } = urlOf(this);
    return f(u, raw);
  });

const urlFuncs: CelFunc[] = [
  celFunc('isURL', [STRING], BOOL, (s) => parseURL(s) !== undefined),
  celFunc('url', [STRING], MAP, (s) => {
    if (!parseURL(s)) throw new Error(`URL parse error during conversion from string: ${s}`);
    return { [URL_KEY]: s };
  }),
  urlGetter('getScheme', (u, raw) => (raw.startsWith('/') ? '' : u.protocol.replace(/:$/, ''))),
  urlGetter('getHost', (u, raw) => (raw.startsWith('/') ? '' : u.host)),
  urlGetter('getHostname', (u, raw) => (raw.startsWith('/') ? '' : u.hostname.replace(/^\[|\]$/g, ''))),
  urlGetter('getPort', (u, raw) => (raw.startsWith('/') ? '' : u.port)),
  urlGetter('getEscapedPath', (u) => u.pathname),
  urlGetter('getQuery', (u) => u.search.replace(/^\?/, '')),
];

function qtyOf(m: CelValue): Quantity {
  if (!isCelMap(m) || typeof m.get(QTY_KEY) !== 'string') throw new Error('no such overload');
  const q = parseQuantity(m.get(QTY_KEY) as string);
  if (!q) throw new Error('invalid quantity');
  return q;
}
const qtyValue = (q: Quantity): Record<string, string> => ({ [QTY_KEY]: quantityString(q) });
/** isGreaterThan / isLessThan / compareTo serve both quantities and semvers. */
const compareAny = (a: CelValue, b: CelValue): number => compareSemver(a, b) ?? cmp(qtyOf(a), qtyOf(b));
const cmp = (a: Quantity, b: Quantity): number => {
  const l = a.value.num * b.value.den;
  const r = b.value.num * a.value.den;
  return l < r ? -1 : l > r ? 1 : 0;
};

const quantityFuncs: CelFunc[] = [
  celFunc('isQuantity', [STRING], BOOL, (s) => parseQuantity(s) !== undefined),
  celFunc('quantity', [STRING], MAP, (s) => {
    const q = parseQuantity(s);
    if (!q) throw new Error('quantities must match the regular expression');
    return qtyValue(q);
  }),
  celMethod('isInteger', MAP, [], BOOL, function () {
    const q = qtyOf(this);
    return q.value.den === 1n;
  }),
  celMethod('asInteger', MAP, [], INT, function () {
    const q = qtyOf(this);
    if (q.value.den !== 1n) throw new Error('cannot convert value to integer');
    return q.value.num;
  }),
  celMethod('asApproximateFloat', MAP, [], DOUBLE, function () {
    const q = qtyOf(this);
    return Number(q.value.num) / Number(q.value.den);
  }),
  celMethod('sign', MAP, [], INT, function () {
    const n = qtyOf(this).value.num;
    return n > 0n ? 1n : n < 0n ? -1n : 0n;
  }),
  celMethod('isGreaterThan', MAP, [MAP], BOOL, function (o) {
    return compareAny(this, o) > 0;
  }),
  celMethod('isLessThan', MAP, [MAP], BOOL, function (o) {
    return compareAny(this, o) < 0;
  }),
  celMethod('compareTo', MAP, [MAP], INT, function (o) {
    return BigInt(compareAny(this, o));
  }),
  celMethod('add', MAP, [MAP], MAP, function (o) {
    return qtyValue(addQ(qtyOf(this), qtyOf(o), 1n));
  }),
  celMethod('add', MAP, [INT], MAP, function (o) {
    return qtyValue(addQ(qtyOf(this), { ...qtyOf(this), value: { num: o, den: 1n } }, 1n));
  }),
  celMethod('sub', MAP, [MAP], MAP, function (o) {
    return qtyValue(addQ(qtyOf(this), qtyOf(o), -1n));
  }),
  celMethod('sub', MAP, [INT], MAP, function (o) {
    return qtyValue(addQ(qtyOf(this), { ...qtyOf(this), value: { num: o, den: 1n } }, -1n));
  }),
];

function addQ(a: Quantity, b: Quantity, sign: bigint): Quantity {
  const num = a.value.num * b.value.den + sign * b.value.num * a.value.den;
  const den = a.value.den * b.value.den;
  return { format: a.format, value: reduce(num, den) };
}

function gcd(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  while (b) [a, b] = [b, a % b];
  return a;
}
function reduce(num: bigint, den: bigint): { num: bigint; den: bigint } {
  const g = gcd(num, den) || 1n;
  return { num: num / g, den: den / g };
}

/** Every Kubernetes library function registered in the environment. */
export const K8S_LIBRARY: CelFunc[] = [
  ...listFuncs,
  ...setsFuncs,
  ...extListFuncs,
  ...regexFuncs,
  ...urlFuncs,
  ...quantityFuncs,
  ...K8S_NET_LIBRARY,
];
