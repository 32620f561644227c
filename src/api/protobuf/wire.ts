/**
 * Minimal protobuf wire-format reader (https://protobuf.dev/programming-guides/encoding/) with
 * strict bounds checks. Only what Kubernetes' proto2 `generated.proto` messages use: varints
 * (int32, int64, bool, tags, lengths), length-delimited fields, and skipping of fixed32/fixed64 and
 * groups in unknown fields. Every failure throws {@link ProtobufDecodeError}; nothing allocates more
 * than the input size.
 *
 * @module
 */
import { ProtobufDecodeError } from './errors.js';

/** Wire types: 0 varint, 1 fixed64, 2 length-delimited, 3 start group, 4 end group, 5 fixed32. */
export type WireType = 0 | 1 | 2 | 3 | 4 | 5;

/** Maximum group nesting accepted while skipping an unknown group. */
const MAX_GROUP_DEPTH = 100;

/** A cursor over a byte range. `end` is exclusive. */
export class WireReader {
  pos: number;

  constructor(
    readonly buf: Uint8Array,
    start = 0,
    readonly end = buf.length,
  ) {
    if (start < 0 || end > buf.length || start > end) {
      throw new ProtobufDecodeError('ERR_PB_TRUNCATED', 'protobuf: range outside the buffer');
    }
    this.pos = start;
  }

  /** True when the cursor reached the end of its range. */
  done(): boolean {
    return this.pos >= this.end;
  }

  /** Reads an unsigned 64-bit varint (at most 10 bytes) as a bigint. */
  varint64(): bigint {
    let lo = 0;
    let shift = 0;
    // Fast path: the first 4 bytes (28 bits) fit a JS number exactly.
    while (shift < 28) {
      const b = this.byte();
      lo += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return BigInt(lo);
      shift += 7;
    }
    let result = BigInt(lo);
    let bshift = 28n;
    for (let i = 4; i < 10; i++) {
      const b = this.byte();
      result |= BigInt(b & 0x7f) << bshift;
      if (b < 0x80) return BigInt.asUintN(64, result);
      bshift += 7n;
    }
    throw new ProtobufDecodeError(
      'ERR_PB_VARINT',
      `protobuf: varint longer than 10 bytes at offset ${this.pos}`,
    );
  }

  /** Reads a varint that must fit a non-negative safe integer (tags and lengths). */
  uint(what: string): number {
    const v = this.varint64();
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new ProtobufDecodeError('ERR_PB_INVALID', `protobuf: ${what} ${v} out of range`);
    }
    return Number(v);
  }

  /** int64: two's-complement varint. */
  int64(): bigint {
    return BigInt.asIntN(64, this.varint64());
  }

  /** int32: low 32 bits of the varint, signed (negative values take 10 bytes on the wire). */
  int32(): number {
    return Number(BigInt.asIntN(32, this.varint64()));
  }

  /** bool: any non-zero varint is true. */
  bool(): boolean {
    return this.varint64() !== 0n;
  }

  /** Reads a length prefix and returns the [start, end) range of the payload, advancing past it. */
  delimited(): [number, number] {
    const len = this.uint('length');
    if (len > this.end - this.pos) {
      throw new ProtobufDecodeError(
        'ERR_PB_TRUNCATED',
        `protobuf: length ${len} at offset ${this.pos} runs past the end of the message`,
      );
    }
    const start = this.pos;
    this.pos += len;
    return [start, this.pos];
  }

  /** Reads a field tag; returns the field number and wire type. */
  tag(): { field: number; wire: WireType } {
    const at = this.pos;
    const t = this.uint('tag');
    const wire = t % 8;
    const field = Math.floor(t / 8);
    if (field === 0 || field > 0x1fffffff) {
      throw new ProtobufDecodeError(
        'ERR_PB_INVALID',
        `protobuf: invalid field number ${field} at offset ${at}`,
      );
    }
    if (wire > 5) {
      throw new ProtobufDecodeError(
        'ERR_PB_WIRE_TYPE',
        `protobuf: invalid wire type ${wire} at offset ${at}`,
      );
    }
    return { field, wire: wire as WireType };
  }

  /** Skips the value of a field with the given wire type (unknown fields, as Go's generated code does). */
  skip(wire: WireType, field: number): void {
    if (wire === 3) {
      this.skipGroup(field);
      return;
    }
    if (wire === 4) {
      throw new ProtobufDecodeError(
        'ERR_PB_WIRE_TYPE',
        `protobuf: unexpected end group at offset ${this.pos}`,
      );
    }
    this.skipValue(wire);
  }

  private skipValue(wire: 0 | 1 | 2 | 5): void {
    if (wire === 0) this.varint64();
    else if (wire === 2) this.delimited();
    else this.advance(wire === 1 ? 8 : 4);
  }

  /** Skips a (deprecated) group iteratively, up to {@link MAX_GROUP_DEPTH} levels. */
  private skipGroup(field: number): void {
    const open = [field];
    while (open.length > 0) {
      const t = this.tag();
      if (t.wire === 3) {
        if (open.length >= MAX_GROUP_DEPTH) {
          throw new ProtobufDecodeError('ERR_PB_TOO_DEEP', 'protobuf: groups nested too deeply');
        }
        open.push(t.field);
      } else if (t.wire === 4) {
        if (open.pop() !== t.field) {
          throw new ProtobufDecodeError('ERR_PB_INVALID', `protobuf: mismatched end group ${t.field}`);
        }
      } else this.skipValue(t.wire);
    }
  }

  private advance(n: number): void {
    if (n > this.end - this.pos) {
      throw new ProtobufDecodeError(
        'ERR_PB_TRUNCATED',
        `protobuf: truncated fixed-width value at offset ${this.pos}`,
      );
    }
    this.pos += n;
  }

  private byte(): number {
    if (this.pos >= this.end) {
      throw new ProtobufDecodeError('ERR_PB_TRUNCATED', `protobuf: truncated varint at offset ${this.pos}`);
    }
    return this.buf[this.pos++]!;
  }
}
