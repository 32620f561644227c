import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../errors.js';
import type { JsonValue } from '../types.js';
import { strategicSchemaFor } from './schema-kinds.js';
import { applyStrategicMergePatch } from './strategic.js';
import type { Schema } from './schema.js';

const deploySchema = strategicSchemaFor('apps', 'v1', 'Deployment')!;
const podSchema = strategicSchemaFor('', 'v1', 'Pod')!;

function deployment(containers: JsonValue[], extra: Record<string, JsonValue> = {}): JsonValue {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers, ...extra } },
    },
  };
}

function smp(doc: JsonValue, patch: JsonValue, schema: Schema = deploySchema): JsonValue {
  const before = JSON.stringify(doc);
  const out = applyStrategicMergePatch(doc, patch, schema);
  assert.equal(JSON.stringify(doc), before, 'input must not be mutated');
  return out;
}

const tpl = (o: JsonValue): any => (o as any).spec.template.spec;

test('smp: kubectl-wire §8 client-side apply body on a Deployment', () => {
  const live = deployment([
    {
      name: 'a',
      image: 'nginx:1',
      env: [
        { name: 'X', value: '1' },
        { name: 'Y', value: '2' },
      ],
    },
    { name: 'b', image: 'busybox' },
  ]);
  const patch = JSON.parse(
    '{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"a"}],"containers":[{"$setElementOrder/env":[{"name":"X"}],"env":[{"$patch":"delete","name":"Y"}],"image":"nginx:2","name":"a"},{"$patch":"delete","name":"b"}]}}}}',
  );
  assert.deepEqual(tpl(smp(live, patch)).containers, [
    { name: 'a', image: 'nginx:2', env: [{ name: 'X', value: '1' }] },
  ]);
});

test('smp: seed `kubectl patch deploy tiller-deploy` serviceAccount', () => {
  const live = deployment([{ name: 'tiller', image: 'tiller:v2' }]);
  const out = smp(live, { spec: { template: { spec: { serviceAccount: 'tiller' } } } });
  assert.equal(tpl(out).serviceAccount, 'tiller');
  assert.deepEqual(tpl(out).containers, [{ name: 'tiller', image: 'tiller:v2' }]);
  assert.equal((out as any).spec.replicas, 1);
});

test('smp: containers merge by name, new items appended, maps merge, null deletes', () => {
  const live = deployment([{ name: 'a', image: 'x', ports: [{ containerPort: 80 }] }]);
  const out = smp(live, {
    metadata: { labels: { app: null, tier: 'fe' } },
    spec: {
      template: {
        spec: {
          containers: [
            { name: 'b', image: 'y' },
            { name: 'a', image: 'x2' },
          ],
        },
      },
    },
  });
  assert.deepEqual((out as any).metadata.labels, { tier: 'fe' });
  // patch order wins for patched items; a (server order 0) and b (new) follow patch order
  assert.deepEqual(tpl(out).containers, [
    { name: 'b', image: 'y' },
    { name: 'a', image: 'x2', ports: [{ containerPort: 80 }] },
  ]);
});

test('smp: env merge by name, ports by containerPort, volumeMounts by mountPath', () => {
  const live = deployment([
    {
      name: 'a',
      env: [{ name: 'A', value: '1' }],
      ports: [{ containerPort: 80, name: 'http' }],
      volumeMounts: [{ name: 'v', mountPath: '/data' }],
    },
  ]);
  const out = smp(live, {
    spec: {
      template: {
        spec: {
          containers: [
            {
              name: 'a',
              env: [{ name: 'B', value: '2' }],
              ports: [{ containerPort: 80, protocol: 'TCP' }],
              volumeMounts: [{ mountPath: '/data', readOnly: true }],
            },
          ],
        },
      },
    },
  });
  const c = tpl(out).containers[0];
  // mergeSortedSlice: an item new to the list sorts before server-only items (upstream quirk)
  assert.deepEqual(c.env, [
    { name: 'B', value: '2' },
    { name: 'A', value: '1' },
  ]);
  assert.deepEqual(c.ports, [{ containerPort: 80, name: 'http', protocol: 'TCP' }]);
  assert.deepEqual(c.volumeMounts, [{ name: 'v', mountPath: '/data', readOnly: true }]);
});

test('smp: lists without a strategy are replaced (tolerations, args, Role rules)', () => {
  const live = deployment([{ name: 'a', args: ['1', '2'] }], { tolerations: [{ key: 'k1' }] });
  const out = smp(live, {
    spec: { template: { spec: { tolerations: [{ key: 'k2' }], containers: [{ name: 'a', args: ['3'] }] } } },
  });
  assert.deepEqual(tpl(out).tolerations, [{ key: 'k2' }]);
  assert.deepEqual(tpl(out).containers[0].args, ['3']);
  const role = strategicSchemaFor('rbac.authorization.k8s.io', 'v1', 'Role')!;
  const r = { metadata: { name: 'r' }, rules: [{ verbs: ['get'], resources: ['pods'], apiGroups: [''] }] };
  const rules = [{ verbs: ['list'], resources: ['secrets'], apiGroups: [''] }];
  assert.deepEqual((smp(r, { rules }, role) as any).rules, rules);
});

test('smp: $patch: replace on a list item replaces the whole list', () => {
  const live = deployment([{ name: 'a' }, { name: 'b' }]);
  const out = smp(live, {
    spec: { template: { spec: { containers: [{ name: 'c' }, { $patch: 'replace' }] } } },
  });
  assert.deepEqual(tpl(out).containers, [{ name: 'c' }]);
});

test('smp: $patch: replace and delete on maps', () => {
  const live = { metadata: { labels: { a: '1', b: '2' } } };
  assert.deepEqual(smp(live, { metadata: { labels: { c: '3', $patch: 'replace' } } }, podSchema), {
    metadata: { labels: { c: '3' } },
  });
  assert.deepEqual(smp(live, { metadata: { labels: { $patch: 'delete' } } }, podSchema), {
    metadata: { labels: {} },
  });
});

test('smp: finalizers merge as a set; $deleteFromPrimitiveList removes', () => {
  const live = { metadata: { name: 'p', finalizers: ['a', 'b'] } };
  assert.deepEqual(
    (smp(live, { metadata: { finalizers: ['b', 'c'] } }, podSchema) as any).metadata.finalizers,
    ['a', 'b', 'c'],
  );
  assert.deepEqual(
    (smp(live, { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } }, podSchema) as any).metadata
      .finalizers,
    ['b'],
  );
});

test('smp: $setElementOrder orders patch items; server-only items keep their live position', () => {
  const live = deployment([{ name: 'a' }, { name: 'x' }, { name: 'b' }]);
  const out = smp(live, {
    spec: {
      template: {
        spec: {
          '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }],
          containers: [{ name: 'a', image: 'i' }],
        },
      },
    },
  });
  assert.deepEqual(
    tpl(out).containers.map((c: any) => c.name),
    ['x', 'b', 'a'],
  );
  const live2 = { metadata: { finalizers: ['a', 'b', 'c'] } };
  const out2 = smp(live2, { metadata: { '$setElementOrder/finalizers': ['c', 'a', 'b'] } }, podSchema);
  assert.deepEqual((out2 as any).metadata.finalizers, ['c', 'a', 'b']);
});

test('smp: $retainKeys clears unlisted fields (Deployment strategy)', () => {
  const live = { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } } };
  const out = smp(live, { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } });
  assert.deepEqual((out as any).spec.strategy, { type: 'Recreate' });
  assert.throws(
    () => smp(live, { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: {} } } }),
    (e: unknown) =>
      e instanceof ApiError && e.code === 400 && e.message === 'invalid patch format of retainKeys',
  );
});

test('smp: Service ports merge by port; ownerReferences by uid; conditions by type', () => {
  const svc = strategicSchemaFor('', 'v1', 'Service')!;
  const live: JsonValue = {
    metadata: { ownerReferences: [{ uid: '1', name: 'o1' }] },
    spec: { ports: [{ port: 80, targetPort: 8080 }, { port: 443 }] },
    status: { conditions: [{ type: 'Ready', status: 'False' }] },
  };
  const out: any = smp(
    live,
    {
      metadata: { ownerReferences: [{ uid: '2', name: 'o2' }] },
      spec: { ports: [{ port: 80, targetPort: 9090 }] },
      status: { conditions: [{ type: 'Ready', status: 'True' }] },
    },
    svc,
  );
  assert.deepEqual(out.spec.ports, [{ port: 80, targetPort: 9090 }, { port: 443 }]);
  assert.deepEqual(
    out.metadata.ownerReferences.map((o: any) => o.uid),
    ['2', '1'],
  );
  assert.deepEqual(out.status.conditions, [{ type: 'Ready', status: 'True' }]);
});

test('smp: volumes merge by name with $retainKeys switching the source', () => {
  const live = deployment([{ name: 'a' }], {
    volumes: [
      { name: 'v', emptyDir: {} },
      { name: 'w', secret: { secretName: 's' } },
    ],
  });
  const out = smp(live, {
    spec: {
      template: {
        spec: { volumes: [{ name: 'v', $retainKeys: ['configMap', 'name'], configMap: { name: 'cm' } }] },
      },
    },
  });
  assert.deepEqual(tpl(out).volumes, [
    { name: 'v', configMap: { name: 'cm' } },
    { name: 'w', secret: { secretName: 's' } },
  ]);
});

test('smp: directives in values added from scratch are applied, not stored', () => {
  const live = { spec: { template: { spec: { containers: [{ name: 'a' }] } } } };
  const out = smp(live, {
    spec: {
      template: {
        spec: {
          containers: [
            {
              name: 'a',
              env: [
                { name: 'A', value: '1' },
                { name: 'B', $patch: 'delete' },
              ],
            },
          ],
        },
      },
    },
  });
  assert.deepEqual(tpl(out).containers[0].env, [{ name: 'A', value: '1' }]);
});

test('smp: errors map to upstream codes', () => {
  const is = (code: number, msg?: string) => (e: unknown) =>
    e instanceof ApiError && e.code === code && (msg === undefined || e.message === msg);
  assert.throws(() => applyStrategicMergePatch({}, [1], podSchema), is(400, 'invalid JSON document'));
  assert.throws(
    () => applyStrategicMergePatch({ a: [[1]] }, { a: [[2]] }, { fields: { a: { patchStrategy: 'merge' } } }),
    is(422),
  );
  assert.throws(
    () =>
      smp(deployment([{ name: 'a' }]), { spec: { template: { spec: { containers: [{ image: 'x' }] } } } }),
    is(400, 'map: map[image:x] does not contain declared merge key: name'),
  );
  assert.throws(
    () => smp({}, { metadata: { $patch: 'frob' } }, podSchema),
    is(400, 'unknown patch type: frob in map: map[$patch:frob]'),
  );
  assert.throws(() => smp({}, { '$setElementOrder/x': 1 }, podSchema), is(400));
  let deep: JsonValue = {};
  for (let i = 0; i < 1500; i++) deep = { a: deep };
  assert.throws(() => applyStrategicMergePatch({}, deep, podSchema), is(400));
});

test('smp: null patch is a no-op; unknown schema behaves like merge patch with directives', () => {
  assert.deepEqual(applyStrategicMergePatch({ a: 1 }, null, podSchema), { a: 1 });
  assert.deepEqual(applyStrategicMergePatch({ a: [1, 2], b: { c: 1 } }, { a: [3], b: { d: 2 } }, {}), {
    a: [3],
    b: { c: 1, d: 2 },
  });
});
