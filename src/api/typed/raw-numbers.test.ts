/**
 * Number tokens kept as written, for Go's `cannot unmarshal number 1.0 into ... of type int32`
 * (encoding/json literalStore: strconv.ParseInt of the token text).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJsonTyped } from './json-decode.js';
import { isRawNumber, parseKeepingNumbers, restoreNumbers } from './raw-numbers.js';

test('only bodies with a fraction or exponent outside strings are re-parsed', () => {
  assert.equal(parseKeepingNumbers('{"a":1,"b":"1.0","c":[-2]}'), undefined);
  const kept = parseKeepingNumbers('{"a":1.0,"b":"x\\"1.5","c":[-2e3, 3],"d":{"e":0.25}}') as any;
  assert.ok(isRawNumber(kept.a) && isRawNumber(kept.c[0]) && isRawNumber(kept.d.e));
  assert.equal(kept.b, 'x"1.5');
  assert.equal(kept.c[1], 3);
  restoreNumbers(kept);
  assert.deepEqual(kept, { a: 1, b: 'x"1.5', c: [-2000, 3], d: { e: 0.25 } });
});

test('a body carrying the marker escape itself is left to JSON.parse', () => {
  assert.equal(parseKeepingNumbers('{"a":"\\u0000num:1","b":1.0}'), undefined);
});

test('int fields refuse the token as written; strings, quantities and unknown fields are kept', () => {
  const dep = parseKeepingNumbers('{"spec":{"replicas":1.0}}') as Record<string, unknown>;
  assert.equal(
    decodeJsonTyped('apps.v1.Deployment', dep),
    'json: cannot unmarshal number 1.0 into Go struct field DeploymentSpec.spec.replicas of type int32',
  );
  const exp = parseKeepingNumbers('{"spec":{"replicas":1e2}}') as Record<string, unknown>;
  assert.match(decodeJsonTyped('apps.v1.Deployment', exp)!, /cannot unmarshal number 1e2 into/);
  const name = parseKeepingNumbers('{"metadata":{"name":1.5}}') as Record<string, unknown>;
  assert.equal(
    decodeJsonTyped('core.v1.ConfigMap', name),
    'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.name of type string',
  );
  const pod = parseKeepingNumbers(
    '{"spec":{"containers":[{"name":"a","resources":{"limits":{"cpu":0.5}},"x":2.5}]}}',
  ) as Record<string, unknown>;
  assert.equal(decodeJsonTyped('core.v1.Pod', pod), undefined);
  restoreNumbers(pod);
  assert.deepEqual(pod, {
    spec: { containers: [{ name: 'a', resources: { limits: { cpu: 0.5 } }, x: 2.5 }] },
  });
  const svc = parseKeepingNumbers('{"spec":{"ports":[{"port":80,"targetPort":8080.0}]}}') as Record<
    string,
    unknown
  >;
  assert.equal(
    decodeJsonTyped('core.v1.Service', svc),
    'json: cannot unmarshal number 8080.0 into Go struct field ServicePort.spec.ports.targetPort of type int32',
  );
});
