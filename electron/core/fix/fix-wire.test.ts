import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checksum, encodeMessage, FrameReader } from './fix-wire';

const msg = (seq: number, body = '') =>
  encodeMessage('FIX.4.4', '0', [
    [49, 'A'],
    [56, 'B'],
    [34, String(seq)],
    [52, '20261127-10:00:00.000'],
    ...(body ? ([[58, body]] as Array<[number, string]>) : []),
  ]);

describe('FIX framing', () => {
  it('encodes BodyLength and CheckSum per the spec', () => {
    const text = msg(1);
    const body = text.slice(text.indexOf('35='), text.indexOf('10='));
    expect(text).toContain(`9=${body.length}\x01`);
    expect(text.endsWith(`10=${String(checksum(text.slice(0, text.indexOf('10='))) ).padStart(3, '0')}\x01`)).toBe(true);
  });

  it('frames messages split and joined arbitrarily', () => {
    const stream = msg(1) + msg(2, 'hello') + msg(3);
    for (const size of [1, 7, 50, stream.length]) {
      const reader = new FrameReader();
      const frames = [];
      for (let i = 0; i < stream.length; i += size) frames.push(...reader.push(stream.slice(i, i + size)));
      expect(frames.map((f) => f.kind)).toEqual(['message', 'message', 'message']);
    }
  });

  it('reports garbage and bad checksums as garbled, and keeps the good messages around them', () => {
    const bad = msg(2).replace(/10=(\d{3})/, (_m, c: string) => `10=${String((Number(c) + 1) % 256).padStart(3, '0')}`);
    const reader = new FrameReader();
    const frames = reader.push('\x00\xffjunk' + msg(1) + 'more junk\x01' + bad + msg(3) + '8=FI');
    expect(frames.map((f) => (f.kind === 'garbled' ? `garbled: ${f.reason.split(':')[0]}` : 'message'))).toEqual([
      'garbled: bytes outside a FIX message',
      'message',
      'garbled: bytes outside a FIX message',
      'garbled: bad CheckSum',
      'message',
    ]);
    expect(reader.push('X.4.4\x01').length).toBe(0);
  });

  it('does not let a wrong BodyLength swallow the next message', () => {
    const wrong = msg(1).replace(/9=\d+/, '9=999');
    const frames = new FrameReader().push(wrong + msg(2) + msg(3));
    expect(frames.map((f) => f.kind)).toEqual(['garbled', 'message', 'message']);
  });

  it('frames what was appended only when asked, the same frames as reading it all at once, however the reads split it (property)', () => {
    const bad = msg(5).replace(/10=(\d{3})/, '10=999');
    const stream = 'junk' + msg(1) + msg(2, 'hello') + bad + msg(3).replace(/9=\d+/, '9=999') + msg(4) + '8=FI';
    // Bytes outside a message are reported per read (how junk groups depends on where reads end); messages never depend on it.
    const messages = (frames: ReturnType<FrameReader['push']>) => frames.filter((f) => f.kind === 'message').map((f) => f.text);
    const whole = new FrameReader().push(stream);
    expect(messages(whole)).toHaveLength(3);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 40 }), fc.integer({ min: 0, max: 3 }), (sizes, askEvery) => {
        const reader = new FrameReader();
        const frames = [];
        for (let i = 0, k = 0; i < stream.length; k++) {
          const chunk = stream.slice(i, (i += sizes[k % sizes.length]!));
          reader.append(chunk);
          // Asked for now and then: what waits is counted in bytes, nothing is framed meanwhile.
          if (askEvery > 0 && k % askEvery === 0) for (let f = reader.next(); f !== undefined; f = reader.next()) frames.push(f);
        }
        for (let f = reader.next(); f !== undefined; f = reader.next()) frames.push(f);
        expect(messages(frames)).toEqual(messages(whole));
        expect(frames.map((f) => f.text).join('')).toBe(stream.slice(0, -4)); // every byte once, in order
        expect(reader.pending).toBe(4); // '8=FI': maybe the start of the next message
        reader.discard();
        expect(reader.pending).toBe(0);
      }),
      { numRuns: 200 },
    );
  });
});
