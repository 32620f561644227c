/** WireReader: varints, signed conversions, bounds checks and skipping of unknown fields. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProtobufDecodeError } from './errors.js';
import { WireReader } from './wire.js';

const r = (...b: number[]) => new WireReader(Uint8Array.from(b));
const isCode = (code: string) => (e: unknown) => e instanceof ProtobufDecodeError && e.code === code;

const varints: { bytes: number[]; want: bigint }[] = [
  { bytes: [0x00], want: 0n },
  { bytes: [0x01], want: 1n },
  { bytes: [0x96, 0x01], want: 150n },
  { bytes: [0xff, 0xff, 0xff, 0xff, 0x0f], want: 0xffffffffn },
  { bytes: [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01], want: 1n << 63n },
  { bytes: [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], want: (1n << 64n) - 1n },
];
for (const { bytes, want } of varints) {
  test(`varint64 ${bytes.map((b) => b.toString(16)).join(' ')} = ${want}`, () => {
    const rd = r(...bytes);
    assert.equal(rd.varint64(), want);
    assert.ok(rd.done());
  });
}

test('int32 takes the low 32 bits signed (negative int32 is a 10-byte varint)', () => {
  assert.equal(r(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01).int32(), -1);
  assert.equal(r(0x80, 0x80, 0x80, 0x80, 0xf8, 0xff, 0xff, 0xff, 0xff, 0x01).int32(), -2147483648);
  assert.equal(r(0xff, 0xff, 0xff, 0xff, 0x07).int32(), 2147483647);
});

test('int64 is two’s complement and keeps values above 2^53 exact', () => {
  assert.equal(r(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01).int64(), -1n);
  assert.equal(r(0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10).int64(), 2n ** 53n + 1n);
});

test('bool: any non-zero varint is true', () => {
  assert.equal(r(0x00).bool(), false);
  assert.equal(r(0x02).bool(), true);
});

test('truncated and overlong varints throw', () => {
  assert.throws(() => r(0x80).varint64(), isCode('ERR_PB_TRUNCATED'));
  assert.throws(() => r().varint64(), isCode('ERR_PB_TRUNCATED'));
  assert.throws(() => r(...Array(10).fill(0x80), 0x01).varint64(), isCode('ERR_PB_VARINT'));
});

test('a length past the end of the message throws', () => {
  assert.throws(() => r(0x05, 0x61).delimited(), isCode('ERR_PB_TRUNCATED'));
  // Huge lengths are rejected before any allocation.
  assert.throws(
    () => r(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01).delimited(),
    isCode('ERR_PB_INVALID'),
  );
});

test('a sub-reader cannot read past its own end', () => {
  const rd = new WireReader(Uint8Array.of(0x02, 0x61, 0x62, 0x63), 0, 2);
  assert.throws(() => rd.delimited(), isCode('ERR_PB_TRUNCATED'));
  assert.throws(() => new WireReader(Uint8Array.of(1), 0, 5), isCode('ERR_PB_TRUNCATED'));
});

test('tags: field 0 and wire types 6/7 are invalid', () => {
  assert.throws(() => r(0x02).tag(), isCode('ERR_PB_INVALID'));
  assert.throws(() => r(0x0e).tag(), isCode('ERR_PB_WIRE_TYPE'));
  assert.deepStrictEqual(r(0x92, 0x01).tag(), { field: 18, wire: 2 });
});

test('skip: every wire type, including nested groups', () => {
  const rd = r(
    ...[0x08, 0x96, 0x01], // 1: varint
    ...[0x11, 1, 2, 3, 4, 5, 6, 7, 8], // 2: fixed64
    ...[0x1a, 0x02, 0x61, 0x62], // 3: bytes
    ...[0x25, 1, 2, 3, 4], // 4: fixed32
    ...[0x2b, 0x33, 0x08, 0x01, 0x34, 0x2c], // 5: group { 6: group { 1: 1 } }
    ...[0x38, 0x07], // 7: varint, read afterwards
  );
  for (let i = 0; i < 5; i++) {
    const t = rd.tag();
    rd.skip(t.wire, t.field);
  }
  assert.deepStrictEqual(rd.tag(), { field: 7, wire: 0 });
  assert.equal(rd.varint64(), 7n);
  assert.ok(rd.done());
});

test('skip: mismatched, stray or unterminated groups throw', () => {
  const skipOne = (...b: number[]) => {
    const rd = r(...b);
    const t = rd.tag();
    rd.skip(t.wire, t.field);
  };
  assert.throws(() => skipOne(0x2b, 0x34), isCode('ERR_PB_INVALID'));
  assert.throws(() => skipOne(0x2c), isCode('ERR_PB_WIRE_TYPE'));
  assert.throws(() => skipOne(0x2b, 0x08, 0x01), isCode('ERR_PB_TRUNCATED'));
  assert.throws(() => skipOne(0x11, 1, 2), isCode('ERR_PB_TRUNCATED'));
  assert.throws(() => skipOne(...Array(200).fill(0x2b)), isCode('ERR_PB_TOO_DEEP'));
});
