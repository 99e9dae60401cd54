// The binary framing of browser-mode bodies: typed arrays come back as the same type and values (aligned
// copies), plain JSON around them is kept, and broken framing is refused with a reason instead of misread.
import { describe, expect, it } from 'vitest';
import { decodeBinaryMessage, encodeBinaryMessage, hasBinary } from '../../../src-main/shared/binary-message';

describe('binary message framing', () => {
  it('round-trips typed arrays inside JSON values, at any alignment', () => {
    const odd = new Uint8Array([9, 8, 7]);
    const value = {
      edits: [{ op: 'pixels', rect: { x: 1, y: 2, w: 3, h: 1 }, after: new Uint16Array([1, 65535, 0]) }, { op: 'x', s: 'é"\\' }],
      bytes: odd, floats: new Float32Array([0.5, -2]), nested: [[new Uint32Array([4294967295])]], none: null,
    };
    const back = decodeBinaryMessage(encodeBinaryMessage(value)) as typeof value;
    expect(back).toEqual(value);
    expect(back.edits[0]!.after).toBeInstanceOf(Uint16Array);
    expect(back.floats).toBeInstanceOf(Float32Array);
    expect((back.edits[0]!.after as Uint16Array).byteOffset % 2).toBe(0);
  });

  it('keeps a view of a larger buffer to its own bytes', () => {
    const big = new Uint16Array([1, 2, 3, 4, 5]);
    const back = decodeBinaryMessage(encodeBinaryMessage({ a: big.subarray(1, 3) })) as { a: Uint16Array };
    expect([...back.a]).toEqual([2, 3]);
  });

  it('says whether a value needs the binary framing', () => {
    expect(hasBinary({ a: [1, { b: 'x' }] })).toBe(false);
    expect(hasBinary({ a: [1, { b: new Uint16Array(1) }] })).toBe(true);
  });

  it('refuses truncated or malformed messages with a reason', () => {
    const bytes = encodeBinaryMessage({ a: new Uint16Array(100) });
    expect(() => decodeBinaryMessage(bytes.subarray(0, 2))).toThrow('shorter than its header length');
    expect(() => decodeBinaryMessage(bytes.subarray(0, 10))).toThrow('header is truncated');
    expect(() => decodeBinaryMessage(bytes.subarray(0, bytes.length - 1))).toThrow('blob 0 is truncated');
    const forged = encodeBinaryMessage({ a: { $bin: 3 } });
    expect(() => decodeBinaryMessage(forged)).toThrow('missing blob');
  });
});
