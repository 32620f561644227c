/**
 * Discovery documents against upstream's golden files (kubernetes/kubernetes api/discovery/, kept
 * in test/fixtures/upstream/discovery). Every entry of a resource we serve must equal upstream's;
 * a missing golden file fails the test.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  aggregatedContentType,
  aggregatedDiscovery,
  apiGroup,
  apiResourceList,
  legacyApiGroupList,
  legacyApiVersions,
  negotiateDiscovery,
} from './discovery.js';
import { allResources } from '../registry/index.js';
import { readUpstreamFixture } from '../../test/fixtures/upstream.js';

const golden = (file: string): any => JSON.parse(readUpstreamFixture(`discovery/${file}`));
const parse = (b: Buffer | undefined): any => {
  assert.ok(b, 'document missing');
  return JSON.parse(b.toString('utf8'));
};

/** Entries upstream lists that we deliberately do not serve. */
const NOT_SERVED = new Set(['pods/checkpoint', 'componentstatuses']);

const servedNames = new Set(allResources.map((d) => `${d.group}/${d.resource}`));

const resourceListFiles: [string, string, string][] = [
  ['api__v1.json', '', 'v1'],
  ['apis__apps__v1.json', 'apps', 'v1'],
  ['apis__rbac.authorization.k8s.io__v1.json', 'rbac.authorization.k8s.io', 'v1'],
  ['apis__certificates.k8s.io__v1.json', 'certificates.k8s.io', 'v1'],
  ['apis__authentication.k8s.io__v1.json', 'authentication.k8s.io', 'v1'],
  ['apis__authorization.k8s.io__v1.json', 'authorization.k8s.io', 'v1'],
  ['apis__coordination.k8s.io__v1.json', 'coordination.k8s.io', 'v1'],
];

for (const [file, group, version] of resourceListFiles) {
  test(`APIResourceList ${group || 'core'}/${version} equals ${file}`, () => {
    const want = golden(file);
    const got = parse(apiResourceList(group, version));
    assert.equal(got.kind, want.kind);
    assert.equal(got.apiVersion, want.apiVersion);
    assert.equal(got.groupVersion, want.groupVersion);
    const wantByName = new Map<string, any>(want.resources.map((r: any) => [r.name, r]));
    for (const w of want.resources) {
      const base = w.name.split('/')[0];
      if (NOT_SERVED.has(w.name) || !servedNames.has(`${group}/${base}`)) continue;
      const g = got.resources.find((r: any) => r.name === w.name);
      assert.deepEqual(g, w, `entry ${w.name}`);
    }
    for (const g of got.resources) assert.ok(wantByName.has(g.name), `${g.name} is not upstream's`);
    // Same order as upstream for the common entries.
    const common = want.resources
      .map((r: any) => r.name)
      .filter((n: string) => got.resources.some((r: any) => r.name === n));
    assert.deepEqual(
      got.resources.map((r: any) => r.name),
      common,
    );
  });
}

test('APIGroup documents equal upstream', () => {
  assert.deepEqual(
    parse(apiGroup('rbac.authorization.k8s.io')),
    golden('apis__rbac.authorization.k8s.io.json'),
  );
  // certificates.k8s.io: v1 (preferred) and v1beta1, as upstream lists them (our v1beta1 holds
  // CertificateSigningRequests, see registry/resources/certificates.ts).
  assert.deepEqual(parse(apiGroup('certificates.k8s.io')), golden('apis__certificates.k8s.io.json'));
  assert.equal(apiGroup('nope.example.com'), undefined);
});

test('APIGroupList: our groups in upstream order with upstream preferred versions', () => {
  const want = golden('apis.json');
  const got = parse(legacyApiGroupList());
  assert.equal(got.kind, 'APIGroupList');
  assert.equal(got.apiVersion, 'v1');
  const ours = new Set(got.groups.map((g: any) => g.name));
  const upstreamOrder = want.groups.map((g: any) => g.name).filter((n: string) => ours.has(n));
  const gotNames = got.groups.map((g: any) => g.name);
  assert.deepEqual(gotNames, upstreamOrder);
  for (const g of got.groups) {
    const w = want.groups.find((x: any) => x.name === g.name);
    assert.deepEqual(g.preferredVersion, w.preferredVersion, g.name);
    for (const v of g.versions) {
      const known = w.versions.some((x: any) => x.version === v.version);
      // authentication.k8s.io/v1beta1 is extra, for kubectl 1.27 `auth whoami`.
      assert.ok(known || g.name === 'authentication.k8s.io', `${g.name}/${v.version}`);
    }
  }
});

test('APIVersions (/api)', () => {
  const want = golden('api.json');
  want.serverAddressByClientCIDRs[0].serverAddress = '127.0.0.1:6443';
  assert.deepEqual(parse(legacyApiVersions('127.0.0.1:6443')), want);
  assert.equal(legacyApiVersions('127.0.0.1:6443'), legacyApiVersions('127.0.0.1:6443'));
});

test('aggregated /apis v2 equals aggregated_v2.json for our resources', () => {
  const want = golden('aggregated_v2.json');
  const got = parse(aggregatedDiscovery('apis', 'v2'));
  assert.equal(got.kind, 'APIGroupDiscoveryList');
  assert.equal(got.apiVersion, 'apidiscovery.k8s.io/v2');
  assert.deepEqual(got.metadata, {});
  let compared = 0;
  for (const item of got.items) {
    const w = want.items.find((x: any) => x.metadata.name === item.metadata.name);
    assert.ok(w, `group ${item.metadata.name} upstream`);
    assert.deepEqual(Object.keys(item.metadata), ['name']);
    for (const v of item.versions) {
      assert.equal(v.freshness, 'Current');
      const wv = w.versions.find((x: any) => x.version === v.version);
      if (!wv) {
        assert.equal(`${item.metadata.name}/${v.version}`, 'authentication.k8s.io/v1beta1');
        continue;
      }
      for (const r of v.resources) {
        // Upstream's v1beta1 no longer has CSRs: ours must equal its v1 entry.
        const csrBeta = `${item.metadata.name}/${v.version}` === 'certificates.k8s.io/v1beta1';
        const wr = (csrBeta ? w.versions.find((x: any) => x.version === 'v1') : wv).resources.find(
          (x: any) => x.resource === r.resource,
        );
        assert.deepEqual(r, wr, `${item.metadata.name}/${v.version} ${r.resource}`);
        compared++;
      }
    }
    // Preferred version first, as upstream.
    assert.equal(item.versions[0].version, w.versions[0].version);
  }
  assert.ok(compared >= 25, `compared ${compared} resources`);
});

test('aggregated /api: the core group in the same shape', () => {
  const got = parse(aggregatedDiscovery('api', 'v2beta1'));
  assert.equal(got.apiVersion, 'apidiscovery.k8s.io/v2beta1');
  assert.equal(got.items.length, 1);
  assert.deepEqual(got.items[0].metadata, {});
  const pods = got.items[0].versions[0].resources.find((r: any) => r.resource === 'pods');
  assert.deepEqual(pods.responseKind, { group: '', version: '', kind: 'Pod' });
  assert.equal(pods.scope, 'Namespaced');
  const eviction = pods.subresources.find((s: any) => s.subresource === 'eviction');
  assert.deepEqual(eviction, {
    subresource: 'eviction',
    responseKind: { group: 'policy', version: 'v1', kind: 'Eviction' },
    verbs: ['create'],
  });
  const sa = got.items[0].versions[0].resources.find((r: any) => r.resource === 'serviceaccounts');
  assert.deepEqual(sa.subresources[0].responseKind, {
    group: 'authentication.k8s.io',
    version: 'v1',
    kind: 'TokenRequest',
  });
});

test('selfsubjectreviews also served at authentication.k8s.io/v1beta1', () => {
  const list = parse(apiResourceList('authentication.k8s.io', 'v1beta1'));
  assert.deepEqual(
    list.resources.map((r: any) => r.name),
    ['selfsubjectreviews'],
  );
  assert.equal(apiResourceList('authentication.k8s.io', 'v1alpha1'), undefined);
});

test('negotiateDiscovery', () => {
  const v2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
  const v2b = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList';
  const rows: [string | undefined, string][] = [
    [undefined, 'legacy'],
    ['application/json, */*', 'legacy'],
    [`${v2},${v2b},application/json`, 'v2'],
    [`${v2b},application/json`, 'v2beta1'],
    ['application/json; as=APIGroupDiscoveryList; v=v2; g=apidiscovery.k8s.io', 'v2'],
    ['application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList,application/json', 'legacy'],
    [`${v2};q=0.5,${v2b}`, 'v2beta1'],
    [`${v2};q=0,application/json`, 'legacy'],
    ['application/vnd.kubernetes.protobuf;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList', 'legacy'],
  ];
  for (const [accept, want] of rows) {
    const got = negotiateDiscovery(accept);
    assert.equal(got.kind === 'legacy' ? 'legacy' : got.version, want, String(accept));
    if (got.kind === 'aggregated') assert.equal(got.contentType, aggregatedContentType(got.version));
  }
  assert.deepEqual(negotiateDiscovery(`${v2},application/json`), {
    kind: 'aggregated',
    version: 'v2',
    contentType: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
  });
});
