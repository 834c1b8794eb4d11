import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256 as browserSha256 } from './browser/sha256.ts';
import { sha256 as nodeSha256 } from './node/sha256.ts';

describe('platform implementations agree', () => {
  it('sha256: native and pure JavaScript give the same digest', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (data) => {
        expect(Buffer.from(nodeSha256(data)).toString('hex')).toBe(
          Buffer.from(browserSha256(data)).toString('hex'),
        );
      }),
    );
    expect(Buffer.from(nodeSha256(new TextEncoder().encode('abc'))).toString('hex')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});
