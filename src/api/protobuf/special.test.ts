/** JSON forms of metav1.Time, MicroTime, Duration, and base64. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProtobufDecodeError } from './errors.js';
import { base64, embeddedJson, formatDuration, formatMicroTime, formatTime } from './special.js';

test('formatTime: RFC 3339 seconds in UTC; Go zero time is null', () => {
  assert.equal(formatTime(0n), '1970-01-01T00:00:00Z');
  assert.equal(formatTime(1704164645n), '2024-01-02T03:04:05Z');
  assert.equal(formatTime(1199149261n), '2008-01-01T01:01:01Z');
  assert.equal(formatTime(-62135596800n), null);
  assert.equal(formatTime(-62135596799n), '0001-01-01T00:00:01Z');
  assert.equal(formatTime(253402300799n), '9999-12-31T23:59:59Z');
  assert.equal(formatTime(-1n), '1969-12-31T23:59:59Z');
});

test('formatTime: years outside 0000-9999 are rejected, not crashed on', () => {
  for (const s of [253402300800n, -62167219201n, 2n ** 62n, -(2n ** 63n)]) {
    assert.throws(() => formatTime(s), ProtobufDecodeError);
  }
});

test('formatMicroTime: 6 fractional digits, nanos truncated and normalised', () => {
  assert.equal(formatMicroTime(1714979289n, 123456789), '2024-05-06T07:08:09.123456Z');
  assert.equal(formatMicroTime(1714979289n, 0), '2024-05-06T07:08:09.000000Z');
  assert.equal(formatMicroTime(1714979289n, 1_500_000_000), '2024-05-06T07:08:10.500000Z');
  assert.equal(formatMicroTime(1714979289n, -1000), '2024-05-06T07:08:08.999999Z');
  assert.equal(formatMicroTime(-62135596800n, 0), null);
});

const durations: [bigint, string][] = [
  [0n, '0s'],
  [1n, '1ns'],
  [1100n, '1.1µs'],
  [2_200_000n, '2.2ms'],
  [1_500_000_000n, '1.5s'],
  [90_000_000_000n, '1m30s'],
  [3_600_000_000_000n, '1h0m0s'],
  [4_501_000_000_000n, '1h15m1s'],
  [-90_000_000_000n, '-1m30s'],
  [-(2n ** 63n), '-2562047h47m16.854775808s'],
  [2n ** 63n - 1n, '2562047h47m16.854775807s'],
];
for (const [ns, want] of durations) {
  test(`formatDuration(${ns}) = ${want}`, () => assert.equal(formatDuration(ns), want));
}

test('base64 uses the standard alphabet with padding', () => {
  assert.equal(base64(Uint8Array.of(1)), 'AQ==');
  assert.equal(base64(Uint8Array.of(0xfb, 0xff)), '+/8=');
  assert.equal(base64(new Uint8Array(0)), '');
});

test('embeddedJson parses JSON, null for empty, ProtobufDecodeError otherwise', () => {
  assert.deepStrictEqual(embeddedJson(new TextEncoder().encode('{"f:metadata":{}}'), 'x'), {
    'f:metadata': {},
  });
  assert.equal(embeddedJson(new Uint8Array(0), 'x'), null);
  assert.throws(() => embeddedJson(Uint8Array.of(0xa1, 0x01), 'FieldsV1'), ProtobufDecodeError);
  const deep = new TextEncoder().encode('['.repeat(200_000));
  assert.throws(() => embeddedJson(deep, 'x'), ProtobufDecodeError);
});
