/**
 * decodeKubeProtobuf against every real kubectl v1.33 request body captured in
 * protobuf-fields.json `examples` (bytes -> the JSON kubectl <= 1.31 sends), plus envelope errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { upstreamFixturePath } from '../../../test/fixtures/upstream.js';
import {
  decodeKubeProtobuf,
  ProtobufDecodeError,
  supportedProtobufKinds,
  hasKubeProtobufMagic,
} from './index.js';
import { envelope, msg, str, sub } from './encoder.test.js';

interface Example {
  command: string;
  bodyHex: string;
  expectedJson: Record<string, unknown>;
}

const FIELDS = upstreamFixturePath('protobuf-fields.json');
const examples = (JSON.parse(readFileSync(FIELDS, 'utf8')) as { examples: Example[] }).examples;

test('examples file has the captured kubectl bodies', () => {
  assert.ok(examples.length >= 30);
});

for (const ex of examples) {
  test(`example: ${ex.command}`, () => {
    const body = Buffer.from(ex.bodyHex, 'hex');
    const got = decodeKubeProtobuf(body);
    assert.equal(got.apiVersion, ex.expectedJson.apiVersion);
    assert.equal(got.kind, ex.expectedJson.kind);
    assert.deepStrictEqual(got.object, ex.expectedJson);
    // Plain Uint8Array (not a Buffer) works the same.
    assert.deepStrictEqual(decodeKubeProtobuf(new Uint8Array(body)).object, ex.expectedJson);
  });
}

test('namespace example from kubectl-wire.md decodes to the 1.31 JSON (minus creationTimestamp)', () => {
  const hex =
    '6b3873000a0f0a02763112094e616d657370616365121b0a130a03666f6f12001a0022002a0032003800420012001a020a001a002200';
  assert.equal(Buffer.from(hex, 'hex').length, 54);
  assert.deepStrictEqual(decodeKubeProtobuf(Buffer.from(hex, 'hex')).object, {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'foo' },
    spec: {},
    status: {},
  });
});

const errorCases: { name: string; body: Uint8Array; code: string }[] = [
  { name: 'empty body', body: new Uint8Array(0), code: 'ERR_PB_MAGIC' },
  { name: 'JSON body', body: new TextEncoder().encode('{"kind":"Namespace"}'), code: 'ERR_PB_MAGIC' },
  { name: 'magic only', body: Uint8Array.of(0x6b, 0x38, 0x73, 0x00), code: 'ERR_PB_UNKNOWN_KIND' },
  {
    name: 'unknown kind',
    body: envelope('v1', 'Frobnicator', new Uint8Array(0)),
    code: 'ERR_PB_UNKNOWN_KIND',
  },
  {
    name: 'unknown group',
    body: envelope('example.com/v1', 'Namespace', new Uint8Array(0)),
    code: 'ERR_PB_UNKNOWN_KIND',
  },
  {
    name: 'kind in the wrong group',
    body: envelope('apps/v1', 'Namespace', new Uint8Array(0)),
    code: 'ERR_PB_UNKNOWN_KIND',
  },
  {
    name: 'gzip contentEncoding',
    body: msg(
      Uint8Array.of(0x6b, 0x38, 0x73, 0x00),
      sub(1, str(1, 'v1'), str(2, 'Namespace')),
      str(3, 'gzip'),
    ),
    code: 'ERR_PB_INVALID',
  },
  {
    name: 'truncated envelope',
    body: Uint8Array.of(0x6b, 0x38, 0x73, 0x00, 0x0a, 0x0f, 0x0a, 0x02),
    code: 'ERR_PB_TRUNCATED',
  },
  {
    name: 'metadata with wrong wire type',
    body: envelope('v1', 'Namespace', Uint8Array.of(0x08, 0x01)),
    code: 'ERR_PB_WIRE_TYPE',
  },
];
for (const c of errorCases) {
  test(`error: ${c.name}`, () => {
    assert.throws(
      () => decodeKubeProtobuf(c.body),
      (e: unknown) =>
        e instanceof ProtobufDecodeError && e.code === c.code && e.message.startsWith('protobuf: '),
    );
  });
}

test('hasKubeProtobufMagic', () => {
  assert.equal(hasKubeProtobufMagic(Uint8Array.of(0x6b, 0x38, 0x73, 0x00)), true);
  assert.equal(hasKubeProtobufMagic(Uint8Array.of(0x6b, 0x38, 0x73)), false);
  assert.equal(hasKubeProtobufMagic(new TextEncoder().encode('{}')), false);
});

test('supportedProtobufKinds covers every kind kubectl sends as protobuf', () => {
  const kinds = new Set(supportedProtobufKinds().map((k) => `${k.apiVersion}/${k.kind}`));
  for (const k of [
    'v1/Namespace',
    'v1/ServiceAccount',
    'v1/ConfigMap',
    'v1/Secret',
    'v1/Service',
    'v1/Pod',
    'apps/v1/Deployment',
    'rbac.authorization.k8s.io/v1/Role',
    'rbac.authorization.k8s.io/v1/ClusterRole',
    'rbac.authorization.k8s.io/v1/RoleBinding',
    'rbac.authorization.k8s.io/v1/ClusterRoleBinding',
    'authentication.k8s.io/v1/TokenRequest',
    'authentication.k8s.io/v1/TokenReview',
    'authentication.k8s.io/v1/SelfSubjectReview',
    'authorization.k8s.io/v1/SelfSubjectAccessReview',
    'authorization.k8s.io/v1/LocalSubjectAccessReview',
    'authorization.k8s.io/v1/SubjectAccessReview',
    'authorization.k8s.io/v1/SelfSubjectRulesReview',
    'certificates.k8s.io/v1/CertificateSigningRequest',
    'meta.k8s.io/v1/DeleteOptions',
  ]) {
    assert.ok(kinds.has(k), k);
  }
});
