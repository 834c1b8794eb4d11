import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { platformHasher } from './hasher.ts';
import { sha256PairWords } from './sha256-js.ts';
import { sha256PairsWasm } from './sha256-simd.ts';

describe('sha256PairsWasm (four lanes of WebAssembly SIMD)', () => {
  it('is available on Node', () => {
    expect(sha256PairsWasm).not.toBeNull();
  });

  it('equals the JavaScript and platform SHA-256 on random batches of every size class', () => {
    const platform = platformHasher();
    const one = new Int32Array(8);
    const viaPlatform = new Int32Array(8);
    fc.assert(
      fc.property(
        // around the lane count (4) and the chunk size (1024)
        fc.constantFrom(0, 1, 2, 3, 4, 5, 7, 8, 9, 1023, 1024, 1025, 2049),
        fc.constantFrom(0, 1, 0xff),
        fc.integer(),
        (count, prefix, seed) => {
          const inputs = new Int32Array(16 * count);
          let x = seed | 1;
          for (let i = 0; i < inputs.length; i++) {
            x ^= x << 13;
            x ^= x >>> 17;
            x ^= x << 5;
            inputs[i] = x;
          }
          const outputs = new Int32Array(8 * count);
          sha256PairsWasm!(prefix, inputs, outputs, count);
          for (let k = 0; k < count; k++) {
            const input = inputs.subarray(16 * k, 16 * k + 16);
            sha256PairWords(prefix, input, one);
            expect(outputs.subarray(8 * k, 8 * k + 8)).toEqual(one);
            if (k < 8) {
              platform.pairWords(prefix, input, viaPlatform);
              expect(one).toEqual(viaPlatform);
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
