/**
 * RBAC decision benchmark: `node --import tsx bench/rbac.ts` (writes bench/results/rbac.json).
 *
 * In one run, builds the synthetic policy of bench/rbac-policy.ts at 1x (4,500 RoleBindings,
 * 700 ClusterRoleBindings, 1,400 Roles, 700 ClusterRoles over 300 namespaces) and 10x, and
 * measures, for the indexed authorizer (src/authz/rbac/authorizer.ts) and the linear baseline
 * (src/authz/rbac/linear.ts, upstream's VisitRulesFor scan):
 * - allowed and denied decisions on a cache miss (cache disabled; and cache enabled with distinct
 *   attributes every call, so each call also pays key building and insertion) and on a cache hit;
 * - SelfSubjectRulesReview rulesFor for a user with 1,000 bindings;
 * - store build time and the cost of one binding update.
 * Timing: process.hrtime.bigint() around batches (calibrated to ~20 ms, at most 10,000 calls),
 * 15 batches after a warm-up; reported median of per-call batch averages. p99 comes from 5,000
 * individually timed calls with the timer's own overhead subtracted.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import v8 from 'node:v8';
import vm from 'node:vm';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Attributes, AuthzResult } from '../src/authz/interfaces.js';
import { rbacAuthorizer } from '../src/authz/rbac/authorizer.js';
import { linearAuthorize, linearRulesFor } from '../src/authz/rbac/linear.js';
import { rulesFor, toRulesReviewStatus } from '../src/authz/rbac/resolver.js';
import { PolicyObjects } from '../src/authz/rbac/source.js';
import { RbacStore } from '../src/authz/rbac/store.js';
import { buildPolicy } from './rbac-policy.js';

const now = () => process.hrtime.bigint();
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const median = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)];
const pct = (xs: number[], p: number) => sorted(xs)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
let sink = 0;
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** Timer overhead of one hrtime.bigint() pair, in ns. */
function timerOverhead(): number {
  const xs: number[] = [];
  for (let i = 0; i < 20000; i++) {
    const t0 = now();
    xs.push(Number(now() - t0));
  }
  return median(xs);
}
const OVERHEAD = timerOverhead();

export interface Measurement {
  medianNs: number;
  p99Ns: number;
  batch: number;
}

/** fn(i) is called with a running index, so callers can vary attributes per call. */
function measure(fn: (i: number) => unknown, maxBatch = 10000): Measurement {
  gc();
  let i = 0;
  const run = (n: number): number => {
    const t0 = now();
    for (let j = 0; j < n; j++) if (fn(i++)) sink++;
    return Number(now() - t0);
  };
  const w0 = now();
  while (Number(now() - w0) < 100e6) run(Math.min(maxBatch, 1000)); // warm-up: 100 ms
  let batch = 1;
  while (batch < maxBatch && run(batch) < 20e6) batch *= 2;
  batch = Math.min(batch, maxBatch);
  const avgs: number[] = [];
  for (let r = 0; r < 15; r++) avgs.push(run(batch) / batch);
  const singles: number[] = [];
  const n = Math.min(5000, batch * 15);
  for (let s = 0; s < n; s++) {
    const t0 = now();
    if (fn(i++)) sink++;
    singles.push(Math.max(0, Number(now() - t0) - OVERHEAD));
  }
  return { medianNs: Math.round(median(avgs)), p99Ns: Math.round(pct(singles, 0.99)), batch };
}

/** `count` attribute objects differing only in the resource name (distinct cache keys). */
function distinct(a: Attributes, count: number): Attributes[] {
  return Array.from({ length: count }, (_, i) => ({ ...a, name: `n-${i}` }));
}

function expect(r: AuthzResult, want: string, what: string): void {
  if (r.decision !== want) throw new Error(`${what}: expected ${want}, got ${r.decision} (${r.reason})`);
}

function runScale(k: number) {
  const policy = buildPolicy(k);
  const t0 = now();
  const store = new RbacStore(policy.objects);
  const buildMs = Number(now() - t0) / 1e6;
  const lister = new PolicyObjects(policy.objects);
  const noCache = rbacAuthorizer(store, { cacheSize: 0 });
  const cached = rbacAuthorizer(store, { cacheSize: 65536, cacheMinBindings: 0 });
  const defaults = rbacAuthorizer(store);
  const heavyDenied: Attributes = {
    ...policy.denied,
    user: { ...policy.denied.user, ...policy.heavyUser },
    namespace: policy.heavyNamespace,
  };
  expect(noCache.authorize(heavyDenied), 'NoOpinion', 'heavy denied');
  const { allowed, denied } = policy;
  expect(linearAuthorize(lister, allowed), 'Allow', 'linear allowed');
  expect(linearAuthorize(lister, denied), 'NoOpinion', 'linear denied');
  expect(noCache.authorize(allowed), 'Allow', 'indexed allowed');
  expect(noCache.authorize(denied), 'NoOpinion', 'indexed denied');

  const N = 200000;
  const distinctAllowed = distinct(allowed, N);
  const distinctDenied = distinct(denied, N);
  const out = {
    scale: k,
    counts: { ...store.stats(), namespaces: policy.counts.namespaces },
    buildMs: Math.round(buildMs),
    indexed: {
      allowedMiss: measure(() => noCache.authorize(allowed)),
      deniedMiss: measure(() => noCache.authorize(denied)),
      allowedMissDistinct: measure((i) => cached.authorize(distinctAllowed[i % N])),
      deniedMissDistinct: measure((i) => cached.authorize(distinctDenied[i % N])),
      allowedHit: measure(() => cached.authorize(allowed)),
      deniedHit: measure(() => cached.authorize(denied)),
      deniedDefault: measure(() => defaults.authorize(denied)),
      heavyDeniedMiss: measure(() => noCache.authorize(heavyDenied)),
      heavyDeniedHit: measure(() => defaults.authorize(heavyDenied)),
    },
    linear: {
      allowed: measure(() => linearAuthorize(lister, allowed), 2000),
      denied: measure(() => linearAuthorize(lister, denied), 2000),
    },
    rulesFor: {} as Record<string, number | Measurement>,
    update: {} as Measurement,
  };
  const heavy = rulesFor(store, policy.heavyUser, policy.heavyNamespace);
  out.rulesFor = {
    rules: heavy.resourceRules.length + heavy.nonResourceRules.length,
    indexed: measure(() => rulesFor(store, policy.heavyUser, policy.heavyNamespace), 200),
    linear: measure(() => {
      const { rules, errors } = linearRulesFor(lister, policy.heavyUser, policy.heavyNamespace);
      return toRulesReviewStatus(rules, errors);
    }, 50),
  };
  // One RoleBinding upsert (subjects change) plus the next decision on the now-stale cache.
  const rb = policy.objects.find((o) => o.kind === 'RoleBinding' && o.metadata.name === 'rb-7');
  if (!rb || rb.kind !== 'RoleBinding') throw new Error('rb-7 missing');
  out.update = measure((i) => {
    store.upsert({ ...rb, subjects: [{ kind: 'User', name: `user-${i % 7}` }] });
    return cached.authorize(allowed);
  }, 2000);
  return out;
}

type Scale = ReturnType<typeof runScale>;

function main(): void {
  const s1 = runScale(1);
  const s10 = runScale(10);
  const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
  const summary = {
    linearOverIndexed: {
      '1x': {
        allowed: ratio(s1.linear.allowed.medianNs, s1.indexed.allowedMiss.medianNs),
        denied: ratio(s1.linear.denied.medianNs, s1.indexed.deniedMiss.medianNs),
      },
      '10x': {
        allowed: ratio(s10.linear.allowed.medianNs, s10.indexed.allowedMiss.medianNs),
        denied: ratio(s10.linear.denied.medianNs, s10.indexed.deniedMiss.medianNs),
      },
    },
    indexed10xOver1x: {
      allowedMiss: ratio(s10.indexed.allowedMiss.medianNs, s1.indexed.allowedMiss.medianNs),
      deniedMiss: ratio(s10.indexed.deniedMiss.medianNs, s1.indexed.deniedMiss.medianNs),
      deniedMissDistinct: ratio(
        s10.indexed.deniedMissDistinct.medianNs,
        s1.indexed.deniedMissDistinct.medianNs,
      ),
    },
    linear10xOver1x: { denied: ratio(s10.linear.denied.medianNs, s1.linear.denied.medianNs) },
  };
  printTable([s1, s10], summary);
  const result = {
    benchmark: 'rbac',
    date: new Date().toISOString(),
    node: process.version,
    timerOverheadNs: OVERHEAD,
    method:
      'median of 15 batch averages (batch calibrated to ~20 ms, max 10,000); p99 from 5,000 single timed calls minus timer overhead',
    scales: { '1x': s1, '10x': s10 },
    summary,
    sink,
  };
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'rbac.json'), JSON.stringify(result, null, 2) + '\n');
  console.log(`\nwrote ${path.join(dir, 'rbac.json')}`);
}

function printTable(scales: Scale[], summary: object): void {
  const us = (m: Measurement) => `${(m.medianNs / 1000).toFixed(3)} / ${(m.p99Ns / 1000).toFixed(1)}`;
  const rows: Array<[string, (s: Scale) => string]> = [
    ['indexed allowed, miss (no cache)', (s) => us(s.indexed.allowedMiss)],
    ['indexed denied,  miss (no cache)', (s) => us(s.indexed.deniedMiss)],
    ['indexed allowed, miss (distinct keys)', (s) => us(s.indexed.allowedMissDistinct)],
    ['indexed denied,  miss (distinct keys)', (s) => us(s.indexed.deniedMissDistinct)],
    ['indexed allowed, cache hit', (s) => us(s.indexed.allowedHit)],
    ['indexed denied,  cache hit', (s) => us(s.indexed.deniedHit)],
    ['indexed denied, default options', (s) => us(s.indexed.deniedDefault)],
    ['1,000-binding user denied, miss', (s) => us(s.indexed.heavyDeniedMiss)],
    ['1,000-binding user denied, cache hit', (s) => us(s.indexed.heavyDeniedHit)],
    ['linear  allowed', (s) => us(s.linear.allowed)],
    ['linear  denied', (s) => us(s.linear.denied)],
    ['rulesFor 1,000 bindings, indexed', (s) => us(s.rulesFor.indexed as Measurement)],
    ['rulesFor 1,000 bindings, linear', (s) => us(s.rulesFor.linear as Measurement)],
    ['binding upsert + next decision', (s) => us(s.update)],
  ];
  console.log(`\nRBAC decision cost, µs (median / p99)          1x                 10x`);
  for (const [label, f] of rows)
    console.log(`${label.padEnd(42)} ${f(scales[0]).padEnd(18)} ${f(scales[1])}`);
  console.log(
    `store build ms: 1x ${scales[0].buildMs}, 10x ${scales[1].buildMs}; rules for heavy user: ${scales[0].rulesFor.rules}`,
  );
  console.log(JSON.stringify(summary, null, 2));
}

main();
