/**
 * Property: whatever JSON a client sends, at whatever place of a kind's schema, the typed decoders
 * answer a text or nothing and never throw (a malformed body must be a 4xx, never a 500).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { applySchemaFor } from '../patch/index.js';
import { applyTypeErrors } from './apply-validate.js';
import { decodeJsonTyped } from './json-decode.js';
import { decodeUnstructuredTyped } from './unstructured-decode.js';

const template = (): Record<string, unknown> => ({
  metadata: { name: 'p', labels: { a: 'b' }, annotations: {}, ownerReferences: [{ name: 'o', uid: 'u' }] },
  spec: {
    replicas: 1,
    template: {
      spec: {
        containers: [
          {
            name: 'c',
            ports: [{ containerPort: 80 }],
            env: [{ name: 'e', valueFrom: { fieldRef: { fieldPath: 'x' } } }],
            resources: { limits: { cpu: '1' } },
            livenessProbe: { httpGet: { port: 8080 }, initialDelaySeconds: 1 },
          },
        ],
        volumes: [{ name: 'v', configMap: { name: 'c', defaultMode: 420 } }],
        securityContext: { runAsUser: 1 },
      },
    },
    strategy: { rollingUpdate: { maxSurge: '25%' } },
  },
  status: { conditions: [{ type: 'A', lastTransitionTime: '2024-01-01T00:00:00Z' }] },
});

/** All paths to values inside an object (object keys and list indices). */
function paths(
  v: unknown,
  prefix: (string | number)[] = [],
  out: (string | number)[][] = [],
): (string | number)[][] {
  if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      const p = [...prefix, Array.isArray(v) ? Number(k) : k];
      out.push(p);
      paths(x, p, out);
    }
  }
  return out;
}

function setAt(obj: Record<string, unknown>, path: (string | number)[], value: unknown): void {
  let cur: any = obj;
  for (const k of path.slice(0, -1)) cur = cur[k];
  cur[path[path.length - 1]!] = value;
}

const ALL = paths(template());
const KINDS = ['apps.v1.Deployment', 'core.v1.Pod', 'batch.v1.Job', 'core.v1.ConfigMap', 'rbac.v1.Role'];

test('typed decoders never throw on arbitrary values at arbitrary places', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...KINDS),
      fc.array(fc.tuple(fc.nat(ALL.length - 1), fc.jsonValue({ maxDepth: 3 })), { maxLength: 4 }),
      (key, edits) => {
        const obj = template();
        for (const [i, v] of edits) {
          try {
            setAt(obj, ALL[i]!, v);
          } catch {
            // the path no longer exists after an earlier edit
          }
        }
        const [pkg, version, kind] = key.split('.') as [string, string, string];
        const group = pkg === 'core' ? '' : pkg === 'rbac' ? 'rbac.authorization.k8s.io' : pkg;
        const a = decodeJsonTyped(key, structuredClone(obj));
        const b = decodeUnstructuredTyped(key, structuredClone(obj));
        const c = applyTypeErrors(key, structuredClone(obj), applySchemaFor(group, version, kind));
        assert.ok(a === undefined || typeof a === 'string');
        assert.ok(b === undefined || typeof b === 'string');
        assert.ok(Array.isArray(c) && c.every((e) => typeof e === 'string'));
      },
    ),
    { numRuns: 400 },
  );
});

test('arbitrary whole bodies never throw either', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...KINDS),
      fc.dictionary(
        fc.constantFrom('metadata', 'spec', 'status', 'data', 'rules'),
        fc.jsonValue({ maxDepth: 4 }),
      ),
      (key, obj) => {
        assert.doesNotThrow(() => decodeJsonTyped(key, structuredClone(obj)));
        assert.doesNotThrow(() => decodeUnstructuredTyped(key, structuredClone(obj)));
        assert.doesNotThrow(() => applyTypeErrors(key, structuredClone(obj)));
      },
    ),
    { numRuns: 300 },
  );
});
