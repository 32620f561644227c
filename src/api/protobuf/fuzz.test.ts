/**
 * Light fuzzing: random bytes, every truncation and byte flips of the captured kubectl bodies must
 * either decode or throw ProtobufDecodeError, never anything else, and never hang. Seeded, so runs
 * are reproducible.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { upstreamFixturePath } from '../../../test/fixtures/upstream.js';
import { decodeKubeProtobuf, KUBE_PROTOBUF_MAGIC, ProtobufDecodeError } from './index.js';

const FIELDS = upstreamFixturePath('protobuf-fields.json');
const bodies = (JSON.parse(readFileSync(FIELDS, 'utf8')) as { examples: { bodyHex: string }[] }).examples.map(
  (e) => Uint8Array.from(Buffer.from(e.bodyHex, 'hex')),
);

/** mulberry32: small deterministic PRNG. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function decodesOrRejects(body: Uint8Array, what: string): void {
  try {
    const out = decodeKubeProtobuf(body);
    JSON.stringify(out.object); // the result must always be serialisable
  } catch (e) {
    if (!(e instanceof ProtobufDecodeError)) {
      assert.fail(`${what}: threw ${String(e)} for ${Buffer.from(body).toString('hex')}`);
    }
  }
}

test('every truncation of every example decodes or throws ProtobufDecodeError', () => {
  bodies.forEach((b, i) => {
    for (let n = 0; n < b.length; n++) decodesOrRejects(b.subarray(0, n), `example ${i} cut at ${n}`);
  });
});

test('single-byte mutations of the examples', () => {
  const rand = rng(1);
  bodies.forEach((b, i) => {
    for (let k = 0; k < 300; k++) {
      const m = Uint8Array.from(b);
      const at = 4 + Math.floor(rand() * (m.length - 4));
      m[at] = Math.floor(rand() * 256);
      decodesOrRejects(m, `example ${i} byte ${at}`);
    }
  });
});

test('random bodies after the magic, and random bodies without it', () => {
  const rand = rng(2);
  for (let k = 0; k < 3000; k++) {
    const len = Math.floor(rand() * 200);
    const body = new Uint8Array(len + 4);
    body.set(KUBE_PROTOBUF_MAGIC);
    for (let j = 4; j < body.length; j++) body[j] = Math.floor(rand() * 256);
    decodesOrRejects(body, 'random');
    decodesOrRejects(body.subarray(4), 'random, no magic');
  }
});

test('random raw objects inside a valid envelope of each kind', () => {
  const rand = rng(3);
  for (const b of bodies) {
    const out = decodeKubeProtobuf(b);
    const head = Buffer.from(b).subarray(0, 4 + 2 + b[5]!); // magic + typeMeta field
    for (let k = 0; k < 200; k++) {
      const raw = Uint8Array.from({ length: Math.floor(rand() * 120) }, () => Math.floor(rand() * 256));
      const body = Buffer.concat([head, Buffer.from([0x12, raw.length]), raw]);
      if (raw.length < 128) decodesOrRejects(body, `random ${out.kind}`);
    }
  }
});

test('a 1 MB body of nested length prefixes is rejected quickly', () => {
  const body = new Uint8Array(1 << 20).fill(0x0a);
  body.set(KUBE_PROTOBUF_MAGIC);
  const start = Date.now();
  decodesOrRejects(body, 'nested');
  assert.ok(Date.now() - start < 2000);
});
