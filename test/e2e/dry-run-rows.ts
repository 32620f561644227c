/**
 * Fixtures and the main-resource rows of the dry-run table (dry-run.test.ts): create, update,
 * patch (JSON, merge, strategic, apply), delete and deletecollection, each with the dryRun option
 * in the query or in a DeleteOptions body.
 */
import assert from 'node:assert/strict';
import type { Client } from './client.js';

export const NS = 'dr';
export const cmPath = (name = '') => `/api/v1/namespaces/${NS}/configmaps${name ? '/' + name : ''}`;
export const podPath = (name = '') => `/api/v1/namespaces/${NS}/pods${name ? '/' + name : ''}`;
export const deployPath = (name = '') =>
  `/apis/apps/v1/namespaces/${NS}/deployments${name ? '/' + name : ''}`;
export const csrPath = (name = '') =>
  `/apis/certificates.k8s.io/v1/certificatesigningrequests${name ? '/' + name : ''}`;
export const nsPath = (name = '') => `/api/v1/namespaces${name ? '/' + name : ''}`;
export const saPath = (name = '') => `/api/v1/namespaces/${NS}/serviceaccounts${name ? '/' + name : ''}`;

/** An object a row watches: its collection path and name. */
export interface Target {
  collection: string;
  name: string;
}

export interface Row {
  name: string;
  setup?: (c: Client, id: string) => Promise<void>;
  method: string;
  /** Path with `?dryRun=All` (or not, when the body carries it); `$id` is replaced by the row id. */
  path: string;
  body?: unknown;
  contentType?: string;
  status: number;
  targets: (id: string) => Target[];
  check?: (body: any, id: string) => void;
  /** Send the request again without dryRun and compare the answers (after normalization). */
  compareWith?: { path: string; body?: unknown };
}

export const JSON_MERGE = 'application/merge-patch+json';

export function cm(name: string, data: Record<string, string> = { a: '1' }, labels?: Record<string, string>) {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data };
}

export function pod(name: string, nodeName?: string) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { nodeName, containers: [{ name: 'c', image: 'busybox' }] },
  };
}

export function deployment(name: string) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'c', image: 'busybox' }] },
      },
    },
  };
}

let csrRequest = '';
/** The base64 PEM CSR the CSR fixtures carry (made once per run). */
export function setCsrRequest(pem64: string): void {
  csrRequest = pem64;
}
export function csr(name: string) {
  return {
    apiVersion: 'certificates.k8s.io/v1',
    kind: 'CertificateSigningRequest',
    metadata: { name },
    spec: {
      request: csrRequest,
      signerName: 'kubernetes.io/kube-apiserver-client',
      usages: ['client auth'],
    },
  };
}

/** Drops what differs between two equal writes made at different moments. */
export function normalize(body: any): any {
  const o = structuredClone(body);
  if (o?.metadata) {
    delete o.metadata.uid;
    delete o.metadata.creationTimestamp;
    delete o.metadata.resourceVersion;
    delete o.metadata.deletionTimestamp;
    for (const m of o.metadata.managedFields ?? []) delete m.time;
  }
  if (o?.details) delete o.details.uid;
  for (const i of o?.items ?? []) Object.assign(i, normalize(i));
  if (o?.status?.token) o.status.token = '<token>';
  if (o?.status?.expirationTimestamp) o.status.expirationTimestamp = '<time>';
  return o;
}

export async function post(c: Client, p: string, body: unknown): Promise<void> {
  const r = await c.request('POST', p, JSON.stringify(body));
  assert.equal(r.status, 201, `${p}: ${r.body.toString()}`);
}

export const mainRows: Row[] = [
  {
    name: 'create',
    method: 'POST',
    path: `${cmPath()}?dryRun=All`,
    body: cm('c-$id'),
    status: 201,
    targets: (id) => [{ collection: cmPath(), name: `c-${id}` }],
    check: (b, id) => {
      assert.equal(b.metadata.name, `c-${id}`);
      assert.match(b.metadata.uid, /^[0-9a-f-]{36}$/);
      assert.ok(b.metadata.creationTimestamp);
      assert.equal(b.metadata.resourceVersion, undefined);
    },
    compareWith: { path: cmPath() },
  },
  {
    name: 'create of an existing name is AlreadyExists',
    setup: (c, id) => post(c, cmPath(), cm(`c-${id}`)),
    method: 'POST',
    path: `${cmPath()}?dryRun=All`,
    body: cm('c-$id', { b: '2' }),
    status: 409,
    targets: (id) => [{ collection: cmPath(), name: `c-${id}` }],
    check: (b) => assert.equal(b.reason, 'AlreadyExists'),
  },
  {
    name: 'update',
    setup: (c, id) => post(c, cmPath(), cm(`c-${id}`)),
    method: 'PUT',
    path: `${cmPath('c-$id')}?dryRun=All`,
    body: cm('c-$id', { a: 'changed' }),
    status: 200,
    targets: (id) => [{ collection: cmPath(), name: `c-${id}` }],
    check: (b) => assert.deepEqual(b.data, { a: 'changed' }),
    compareWith: { path: cmPath('c-$id') },
  },
  {
    name: 'merge patch',
    setup: (c, id) => post(c, cmPath(), cm(`c-${id}`)),
    method: 'PATCH',
    path: `${cmPath('c-$id')}?dryRun=All`,
    body: { data: { b: '2' } },
    contentType: JSON_MERGE,
    status: 200,
    targets: (id) => [{ collection: cmPath(), name: `c-${id}` }],
    check: (b) => assert.deepEqual(b.data, { a: '1', b: '2' }),
    compareWith: { path: cmPath('c-$id') },
  },
  {
    name: 'JSON patch',
    setup: (c, id) => post(c, cmPath(), cm(`c-${id}`)),
    method: 'PATCH',
    path: `${cmPath('c-$id')}?dryRun=All`,
    body: [{ op: 'replace', path: '/data/a', value: 'x' }],
    contentType: 'application/json-patch+json',
    status: 200,
    targets: (id) => [{ collection: cmPath(), name: `c-${id}` }],
    check: (b) => assert.deepEqual(b.data, { a: 'x' }),
  },
  {
    name: 'strategic merge patch',
    setup: (c, id) => post(c, cmPath(), cm(`c-${id}`)),
    method: 'PATCH',
    path: `${cmPath('c-$id')}?dryRun=All`,
    body: { metadata: { labels: { l: 'v' } } },
    contentType: 'application/strategic-merge-patch+json',
    status: 200,
    targets: (id) => [{ collection: cmPath(), name: `c-${id}` }],
    check: (b) => assert.deepEqual(b.metadata.labels, { l: 'v' }),
  },
  {
    name: 'server-side apply of an existing object',
    setup: (c, id) => post(c, cmPath(), cm(`c-${id}`)),
    method: 'PATCH',
    path: `${cmPath('c-$id')}?dryRun=All&fieldManager=t`,
    body: cm('c-$id', { a: '1', z: 'applied' }),
    contentType: 'application/apply-patch+yaml',
    status: 200,
    targets: (id) => [{ collection: cmPath(), name: `c-${id}` }],
    check: (b) => assert.equal(b.data.z, 'applied'),
    compareWith: { path: `${cmPath('c-$id')}?fieldManager=t` },
  },
  {
    name: 'server-side apply that creates',
    method: 'PATCH',
    path: `${cmPath('c-$id')}?dryRun=All&fieldManager=t`,
    body: cm('c-$id'),
    contentType: 'application/apply-patch+yaml',
    status: 201,
    targets: (id) => [{ collection: cmPath(), name: `c-${id}` }],
    check: (b, id) => assert.equal(b.metadata.name, `c-${id}`),
    compareWith: { path: `${cmPath('c-$id')}?fieldManager=t` },
  },
  {
    name: 'delete (query)',
    setup: (c, id) => post(c, cmPath(), cm(`c-${id}`)),
    method: 'DELETE',
    path: `${cmPath('c-$id')}?dryRun=All`,
    status: 200,
    targets: (id) => [{ collection: cmPath(), name: `c-${id}` }],
    check: (b) => assert.equal(b.status, 'Success'),
    compareWith: { path: cmPath('c-$id') },
  },
  {
    name: 'delete (DeleteOptions body)',
    setup: (c, id) => post(c, cmPath(), cm(`c-${id}`)),
    method: 'DELETE',
    path: cmPath('c-$id'),
    body: { kind: 'DeleteOptions', apiVersion: 'v1', dryRun: ['All'] },
    status: 200,
    targets: (id) => [{ collection: cmPath(), name: `c-${id}` }],
    check: (b) => assert.equal(b.status, 'Success'),
    compareWith: { path: cmPath('c-$id'), body: { kind: 'DeleteOptions', apiVersion: 'v1' } },
  },
  {
    // Upstream reads the query only without a body; a dry run here never writes either way.
    name: 'delete (query, with a DeleteOptions body without dryRun)',
    setup: (c, id) => post(c, cmPath(), cm(`c-${id}`)),
    method: 'DELETE',
    path: `${cmPath('c-$id')}?dryRun=All`,
    body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' },
    status: 200,
    targets: (id) => [{ collection: cmPath(), name: `c-${id}` }],
  },
  {
    name: 'delete of a pod returns the pod',
    setup: (c, id) => post(c, podPath(), pod(`p-${id}`)),
    method: 'DELETE',
    path: `${podPath('p-$id')}?dryRun=All`,
    status: 200,
    targets: (id) => [{ collection: podPath(), name: `p-${id}` }],
    check: (b, id) => assert.equal(b.metadata.name, `p-${id}`),
  },
  {
    name: 'deletecollection (query)',
    setup: async (c, id) => {
      await post(c, cmPath(), cm(`c-${id}-1`, {}, { set: id }));
      await post(c, cmPath(), cm(`c-${id}-2`, {}, { set: id }));
    },
    method: 'DELETE',
    path: `${cmPath()}?dryRun=All&labelSelector=set%3D$id`,
    status: 200,
    targets: (id) => [
      { collection: cmPath(), name: `c-${id}-1` },
      { collection: cmPath(), name: `c-${id}-2` },
    ],
    check: (b, id) =>
      assert.deepEqual(
        b.items.map((i: any) => i.metadata.name),
        [`c-${id}-1`, `c-${id}-2`],
      ),
  },
  {
    name: 'deletecollection (DeleteOptions body)',
    setup: (c, id) => post(c, cmPath(), cm(`c-${id}`, {}, { set: id })),
    method: 'DELETE',
    path: `${cmPath()}?labelSelector=set%3D$id`,
    body: { kind: 'DeleteOptions', apiVersion: 'v1', dryRun: ['All'] },
    status: 200,
    targets: (id) => [{ collection: cmPath(), name: `c-${id}` }],
    check: (b) => assert.equal(b.items.length, 1),
  },
  {
    name: 'namespace delete',
    setup: (c, id) =>
      post(c, nsPath(), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: `n-${id}` } }),
    method: 'DELETE',
    path: `${nsPath('n-$id')}?dryRun=All`,
    status: 200,
    targets: (id) => [{ collection: nsPath(), name: `n-${id}` }],
    check: (b) => assert.equal(b.status.phase, 'Terminating'),
  },
];
