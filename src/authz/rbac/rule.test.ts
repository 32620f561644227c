// Rule matching: TestRuleMatches of plugin/pkg/auth/authorizer/rbac/rbac_test.go, non-resource
// URL matching (FACTS.md §4.2), and the compiled matcher checked against ruleAllows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Attributes } from '../interfaces.js';
import { compileRules, compiledAllowsAttrs } from './compile.js';
import { nonResourceURLMatches, resourceMatches, ruleAllows, rulesAllow } from './rule.js';
import { randomAttrs, randomPolicy, resAttrs, rng, urlAttrs } from './testutil.js';
import type { PolicyRule } from './types.js';

const rr = (verb: string, group: string, resource: string, sub = '', name = ''): Attributes =>
  resAttrs('u', '', verb, resource, sub, '', group, name);
const nr = (verb: string, path: string): Attributes => urlAttrs('u', [], verb, path);

const ruleMatchCases: Array<{ name: string; rule: PolicyRule; expect: Array<[Attributes, boolean]> }> = [
  {
    name: 'star verb, exact match other',
    rule: { verbs: ['*'], apiGroups: ['group1'], resources: ['resource1'] },
    expect: [
      [rr('verb1', 'group1', 'resource1'), true],
      [rr('verb1', 'group2', 'resource1'), false],
      [rr('verb1', 'group1', 'resource2'), false],
      [rr('verb1', 'group2', 'resource2'), false],
      [rr('verb2', 'group1', 'resource1'), true],
      [rr('verb2', 'group2', 'resource1'), false],
      [rr('verb2', 'group1', 'resource2'), false],
      [rr('verb2', 'group2', 'resource2'), false],
    ],
  },
  {
    name: 'star group, exact match other',
    rule: { verbs: ['verb1'], apiGroups: ['*'], resources: ['resource1'] },
    expect: [
      [rr('verb1', 'group1', 'resource1'), true],
      [rr('verb1', 'group2', 'resource1'), true],
      [rr('verb1', 'group1', 'resource2'), false],
      [rr('verb1', 'group2', 'resource2'), false],
      [rr('verb2', 'group1', 'resource1'), false],
      [rr('verb2', 'group2', 'resource1'), false],
    ],
  },
  {
    name: 'star resource, exact match other',
    rule: { verbs: ['verb1'], apiGroups: ['group1'], resources: ['*'] },
    expect: [
      [rr('verb1', 'group1', 'resource1'), true],
      [rr('verb1', 'group2', 'resource1'), false],
      [rr('verb1', 'group1', 'resource2'), true],
      [rr('verb1', 'group1', 'resource2', 'sub'), true],
      [rr('verb2', 'group1', 'resource1'), false],
    ],
  },
  {
    name: 'tuple expansion',
    rule: {
      verbs: ['verb1', 'verb2'],
      apiGroups: ['group1', 'group2'],
      resources: ['resource1', 'resource2'],
    },
    expect: [
      [rr('verb1', 'group1', 'resource1'), true],
      [rr('verb1', 'group2', 'resource1'), true],
      [rr('verb1', 'group1', 'resource2'), true],
      [rr('verb1', 'group2', 'resource2'), true],
      [rr('verb2', 'group1', 'resource1'), true],
      [rr('verb2', 'group2', 'resource1'), true],
      [rr('verb2', 'group1', 'resource2'), true],
      [rr('verb2', 'group2', 'resource2'), true],
    ],
  },
  {
    name: 'subresource expansion',
    rule: { verbs: ['*'], apiGroups: ['*'], resources: ['resource1/subresource1'] },
    expect: [
      [rr('verb1', 'group1', 'resource1', 'subresource1'), true],
      [rr('verb1', 'group2', 'resource1', 'subresource2'), false],
      [rr('verb1', 'group1', 'resource2', 'subresource1'), false],
      [rr('verb2', 'group1', 'resource1', 'subresource1'), true],
      [rr('verb2', 'group1', 'resource1'), false],
    ],
  },
  {
    name: 'star subresource (*/sub)',
    rule: { verbs: ['get'], apiGroups: [''], resources: ['*/scale'] },
    expect: [
      [rr('get', '', 'deployments', 'scale'), true],
      [rr('get', '', 'replicasets', 'scale'), true],
      [rr('get', '', 'deployments'), false],
      [rr('get', '', 'deployments', 'status'), false],
      [rr('get', '', 'deployments', 'scalex'), false],
    ],
  },
  {
    name: 'resource/* is not a wildcard',
    rule: { verbs: ['get'], apiGroups: [''], resources: ['pods/*'] },
    expect: [
      [rr('get', '', 'pods', 'log'), false],
      [rr('get', '', 'pods', '*'), true],
      [rr('get', '', 'pods'), false],
    ],
  },
  {
    name: 'resource names',
    rule: { verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: ['foo'] },
    expect: [
      [rr('get', '', 'pods', '', 'foo'), true],
      [rr('get', '', 'pods', '', 'bar'), false],
      [rr('get', '', 'pods', '', ''), false],
    ],
  },
  {
    name: 'star nonresource, exact match other',
    rule: { verbs: ['verb1'], nonResourceURLs: ['*'] },
    expect: [
      [nr('verb1', '/foo'), true],
      [nr('verb1', '/foo/bar'), true],
      [nr('verb1', '/foo/baz/one'), true],
      [nr('verb2', '/foo'), false],
      [nr('verb2', '/foo/bar/one'), false],
    ],
  },
  {
    name: 'star nonresource subpath',
    rule: { verbs: ['verb1'], nonResourceURLs: ['/foo/*'] },
    expect: [
      [nr('verb1', '/foo'), false],
      [nr('verb1', '/foo/bar'), true],
      [nr('verb1', '/foo/baz'), true],
      [nr('verb1', '/foo/bar/one'), true],
      [nr('verb1', '/foo/baz/one'), true],
      [nr('verb1', '/notfoo'), false],
      [nr('verb1', '/notfoo/bar'), false],
      [nr('verb1', '/notfoo/baz/one'), false],
    ],
  },
  {
    name: 'star verb, exact nonresource',
    rule: { verbs: ['*'], nonResourceURLs: ['/foo', '/foo/bar/one'] },
    expect: [
      [nr('verb1', '/foo'), true],
      [nr('verb1', '/foo/bar'), false],
      [nr('verb1', '/foo/baz'), false],
      [nr('verb1', '/foo/bar/one'), true],
      [nr('verb1', '/foo/baz/one'), false],
      [nr('verb2', '/foo'), true],
      [nr('verb2', '/foo/bar/one'), true],
    ],
  },
  {
    name: 'resource rules never match non-resource requests and the reverse',
    rule: { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
    expect: [
      [nr('get', '/api'), false],
      [rr('get', '', 'pods'), true],
    ],
  },
];

for (const tc of ruleMatchCases) {
  test(`TestRuleMatches: ${tc.name}`, () => {
    const compiled = compileRules([tc.rule]);
    for (const [a, want] of tc.expect) {
      const label = `${a.verb} ${a.apiGroup}/${a.resource}/${a.subresource} ${a.name} ${a.path}`;
      assert.equal(ruleAllows(a, tc.rule), want, `ruleAllows ${label}`);
      assert.equal(compiledAllowsAttrs(compiled, a), want, `compiled ${label}`);
    }
  });
}

const nonResourceCases: Array<[string, string, boolean]> = [
  ['*', '/anything', true],
  ['/healthz/*', '/healthz/etcd', true],
  ['/healthz/*', '/healthz', false],
  ['/api/*', '/api/v1', true],
  ['/version/', '/version/', true],
  ['/version/', '/version', false],
  ['/api**', '/apis', true],
  ['/api', '/apis', false],
];
for (const [url, path, want] of nonResourceCases) {
  test(`TestNonResourceURLMatches: ${url} vs ${path}`, () => {
    const rule = { verbs: ['get'], nonResourceURLs: [url] };
    assert.equal(nonResourceURLMatches(rule, path), want);
    assert.equal(compiledAllowsAttrs(compileRules([rule]), nr('get', path)), want);
  });
}

test('resourceMatches: */sub needs exactly the subresource', () => {
  const rule = { verbs: ['*'], resources: ['*/log'] };
  assert.equal(resourceMatches(rule, 'pods/log', 'log'), true);
  assert.equal(resourceMatches(rule, 'pods/logs', 'logs'), false);
  assert.equal(resourceMatches(rule, 'pods', ''), false);
});

test('null and absent rule fields behave as empty lists', () => {
  const rule = { verbs: ['get'], apiGroups: null, resources: ['pods'] } as unknown as PolicyRule;
  assert.equal(ruleAllows(rr('get', '', 'pods'), rule), false);
  assert.equal(compiledAllowsAttrs(compileRules([rule]), rr('get', '', 'pods')), false);
  assert.equal(compiledAllowsAttrs(compileRules(null), rr('get', '', 'pods')), false);
});

test('compiled rule sets agree with RulesAllow on random rules and requests', () => {
  const r = rng(7);
  let allowed = 0;
  for (let i = 0; i < 300; i++) {
    const rules = randomPolicy(r).flatMap((o) =>
      o.kind === 'Role' || o.kind === 'ClusterRole' ? (o.rules ?? []) : [],
    );
    const subset = rules.filter(() => r() < 0.3);
    const compiled = compileRules(subset);
    for (let j = 0; j < 40; j++) {
      const a = randomAttrs(r);
      const want = rulesAllow(a, subset);
      if (want) allowed++;
      assert.equal(compiledAllowsAttrs(compiled, a), want, JSON.stringify({ subset, a }));
    }
  }
  assert.ok(allowed > 500, `too few allowed samples: ${allowed}`);
});
