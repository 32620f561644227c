/**
 * Shared pieces of the server-side apply e2e tests (ssa-apply.test.ts, ssa-managedfields.test.ts):
 * request helpers over the raw HTTP/2 client and small object builders.
 */
import assert from 'node:assert/strict';
import type { Client, Response } from './client.js';

export type Obj = Record<string, any>;

export const APPLY = { 'content-type': 'application/apply-patch+yaml' };
export const MERGE = { 'content-type': 'application/merge-patch+json' };
export const SMP = { 'content-type': 'application/strategic-merge-patch+json' };
export const JSONPATCH = { 'content-type': 'application/json-patch+json' };

export const deployment = (name: string, spec: Obj = {}, podSpec: Obj = {}): Obj => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, labels: { app: 'nginx' } },
  spec: {
    selector: { matchLabels: { app: 'nginx' } },
    template: {
      metadata: { labels: { app: 'nginx' } },
      spec: { containers: [{ name: 'nginx', image: 'nginx:latest' }], ...podSpec },
    },
    ...spec,
  },
});

export const configMap = (name: string, extra: Obj = {}): Obj => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default', labels: { 'test-label': 'test' } },
  data: { key: 'value' },
  ...extra,
});

export const pod = (name: string, labels?: Obj): Obj => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, ...(labels ? { labels } : {}) },
  spec: { containers: [{ name: 'test-container-a', image: 'test-image-one' }] },
});

export const DEPLOY = '/apis/apps/v1/namespaces/default/deployments';
export const CM = '/api/v1/namespaces/default/configmaps';
export const PODS = '/api/v1/namespaces/default/pods';

/** apply/patch/put/get over the client `c()` returns (set up in a `before` hook). */
export function ssaRequests(c: () => Client) {
  const q = (params: Record<string, string | undefined>): string => {
    const e = Object.entries(params).filter(([, v]) => v !== undefined) as [string, string][];
    return e.length ? `?${new URLSearchParams(e)}` : '';
  };
  const apply = (path: string, body: Obj | string, manager?: string, extra: Record<string, string> = {}) =>
    c().request(
      'PATCH',
      path + q({ fieldManager: manager, ...extra }),
      typeof body === 'string' ? body : JSON.stringify(body),
      APPLY,
    );
  const patch = (path: string, body: unknown, headers: Record<string, string>, manager?: string) =>
    c().request('PATCH', path + q({ fieldManager: manager }), JSON.stringify(body), headers);
  // Sends the live resourceVersion when the body has none (kubeauth refuses unconditional PUTs).
  const put = async (path: string, body: Obj, manager?: string) => {
    if (!body.metadata?.resourceVersion) {
      const live = (await c().request('GET', path)).json();
      body = { ...body, metadata: { ...body.metadata, resourceVersion: live.metadata.resourceVersion } };
    }
    return c().request('PUT', path + q({ fieldManager: manager }), JSON.stringify(body));
  };
  const get = async (path: string): Promise<Obj> => {
    const r = await c().request('GET', path);
    assert.equal(r.status, 200, r.body.toString());
    return r.json();
  };
  const ok = (r: Response, status = 200): Obj => {
    assert.equal(r.status, status, r.body.toString());
    return r.json();
  };
  const managers = (o: Obj): string[][] =>
    (o.metadata.managedFields ?? []).map((m: Obj) => [m.manager, m.operation, m.subresource ?? '']);

  return { apply, patch, put, get, ok, managers };
}
