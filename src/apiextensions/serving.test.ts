/**
 * The CRD machinery in process over a real SQLite store: the naming controller establishes a
 * CRD, serving enters its store and descriptor (before the Established write is acknowledged),
 * a spec change re-serves it over the same cache, and the finalizer controller deletes the custom
 * resources and the CRD, after which it is no longer served and its cache is stopped.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cryptoRandomness, deepCopy, timestamp } from '../api/meta.js';
import type { KubeObject } from '../api/types.js';
import { newObjectCache } from '../apiserver/rest/cache-adapter.js';
import { ObjectStore, storagePrefix } from '../apiserver/rest/object-store.js';
import { prepareForCreate } from '../apiserver/rest/strategy.js';
import { CrdFinalizerController } from '../controllers/crd-finalizer.js';
import { CrdNamesController } from '../controllers/crd-names.js';
import { ResourceRegistry } from '../registry/registry.js';
import type { ResourceDescriptor } from '../registry/types.js';
import { openSqliteStore } from '../storage/sqlite.js';
import { customresourcedefinitions, markCrdForDeletion } from './crd-resource.js';
import { CustomResourceServing } from './serving.js';
import { isConditionTrue } from './types.js';

const env = { now: () => new Date(), rnd: cryptoRandomness };

const CRD: KubeObject = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { plural: 'widgets', kind: 'Widget' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } },
          },
        },
      },
    ],
  },
};

async function until(what: string, cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(cond(), what);
}

test('establish, serve, re-serve on change, clean up on delete', async () => {
  const store = await openSqliteStore(':memory:', { compaction: false });
  const crdCache = await newObjectCache(store, storagePrefix(customresourcedefinitions));
  const crds = new ObjectStore(customresourcedefinitions, store, crdCache);
  const registry = new ResourceRegistry();
  const stores = new Map<ResourceDescriptor, ObjectStore>([[customresourcedefinitions, crds]]);
  const serving = new CustomResourceServing({ registry, stores, store, crds, log: () => undefined });
  await serving.start();
  const names = new CrdNamesController(crds, env.now);
  const finalizer = new CrdFinalizerController(crds, (n) => serving.storeFor(n), env.now);
  names.start();
  finalizer.start();
  try {
    await crds.create(prepareForCreate(customresourcedefinitions, deepCopy(CRD), '', env));
    await until('Established', () =>
      isConditionTrue(crds.get('', 'widgets.example.com')!.obj, 'Established'),
    );
    // The barrier: once the Established write is visible, the resource is served.
    const d = registry.find('example.com', 'v1', 'widgets');
    assert.ok(d?.custom);
    const crStore = stores.get(d)!;
    assert.equal(serving.storeFor('widgets.example.com'), crStore);
    const w: KubeObject = {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w1', namespace: 'n' },
      spec: { size: 1 },
    };
    await crStore.create(prepareForCreate(d.custom!.forVersion('v1'), w, 'n', env));

    // A spec change (a short name) gives a new descriptor over the same cache.
    await crds.guaranteedUpdate('', 'widgets.example.com', (c) => {
      const next = deepCopy(c.obj);
      (next.spec as { names: { shortNames?: string[] } }).names.shortNames = ['wd'];
      return next;
    });
    await until('re-served', () => registry.find('example.com', 'v1', 'widgets')?.shortNames?.[0] === 'wd');
    const d2 = registry.find('example.com', 'v1', 'widgets')!;
    assert.notEqual(d2, d);
    assert.equal(stores.has(d), false);
    assert.equal(stores.get(d2)!.cache, crStore.cache);
    assert.equal(stores.get(d2)!.get('n', 'w1')?.obj.metadata?.name, 'w1');

    // Delete: the REST layer's first step, then the finalizer controller does the rest.
    await crds.guaranteedUpdate('', 'widgets.example.com', (c) => {
      const next = deepCopy(c.obj);
      next.metadata!.deletionTimestamp = timestamp(env.now());
      next.metadata!.deletionGracePeriodSeconds = 0;
      markCrdForDeletion(next, next.metadata!.deletionTimestamp);
      return next;
    });
    await until('CRD gone', () => crds.get('', 'widgets.example.com') === undefined);
    await until('not served', () => registry.find('example.com', 'v1', 'widgets') === undefined);
    assert.equal(serving.storeFor('widgets.example.com'), undefined);
    assert.equal(
      [...stores.keys()].some((k) => k.custom),
      false,
    );
    const left = await store.range('/registry/example.com/widgets/', {});
    assert.equal(left.kvs.length, 0, 'the custom resources were deleted from storage');
  } finally {
    names.stop();
    finalizer.stop();
    serving.stop();
    crdCache.stop();
    await store.close();
  }
});
