/**
 * Test-only protobuf encoder: just enough to hand-build Kubernetes bodies in tests. Each helper
 * returns the encoded bytes of one field; {@link msg} concatenates fields into a message body.
 * Named *.test.ts so the build leaves it out; its own test checks it against a captured body.
 *
 * @module
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';

function varint(v: bigint | number): number[] {
  let x = BigInt.asUintN(64, BigInt(v));
  const out: number[] = [];
  while (x >= 0x80n) {
    out.push(Number(x & 0x7fn) | 0x80);
    x >>= 7n;
  }
  out.push(Number(x));
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** A message body: the concatenation of its encoded fields. */
export function msg(...fields: Uint8Array[]): Uint8Array {
  return concat(fields);
}

/** Varint field (bool, int32, int64; negative numbers become 10-byte varints). */
export function int(n: number, v: number | bigint | boolean): Uint8Array {
  return Uint8Array.from([...varint(n * 8), ...varint(typeof v === 'boolean' ? (v ? 1 : 0) : v)]);
}

/** Length-delimited field holding raw bytes. */
export function bytes(n: number, b: Uint8Array): Uint8Array {
  return concat([Uint8Array.from([...varint(n * 8 + 2), ...varint(b.length)]), b]);
}

/** String field. */
export function str(n: number, s: string): Uint8Array {
  return bytes(n, new TextEncoder().encode(s));
}

/** Embedded message field. */
export function sub(n: number, ...fields: Uint8Array[]): Uint8Array {
  return bytes(n, msg(...fields));
}

/** map<string,string> field: one entry per key. */
export function strMap(n: number, m: Record<string, string>): Uint8Array {
  return msg(...Object.entries(m).map(([k, v]) => sub(n, str(1, k), str(2, v))));
}

/** The full body: magic + runtime.Unknown{typeMeta, raw, "", ""}. */
export function envelope(apiVersion: string, kind: string, raw: Uint8Array): Uint8Array {
  return msg(
    Uint8Array.of(0x6b, 0x38, 0x73, 0x00),
    sub(1, str(1, apiVersion), str(2, kind)),
    bytes(2, raw),
    str(3, ''),
    str(4, ''),
  );
}

/** ObjectMeta as kubectl writes it: every non-pointer field, empty creationTimestamp. */
export function objectMeta(name: string, extra: Uint8Array[] = []): Uint8Array {
  return sub(
    1,
    str(1, name),
    str(2, ''),
    str(3, ''),
    str(4, ''),
    str(5, ''),
    str(6, ''),
    int(7, 0),
    sub(8),
    ...extra,
  );
}

test('encoder reproduces the captured `kubectl create namespace foo` body byte for byte', () => {
  const raw = msg(objectMeta('foo'), sub(2), sub(3, str(1, '')));
  const hex =
    '6b3873000a0f0a02763112094e616d657370616365121b0a130a03666f6f12001a0022002a0032003800420012001a020a001a002200';
  assert.equal(Buffer.from(envelope('v1', 'Namespace', raw)).toString('hex'), hex);
});
