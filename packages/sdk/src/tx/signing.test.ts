import { describe, expect, it } from 'vitest';
import { sha256, toHex } from '../codec/hash.ts';
import { signingHash, TX_DOMAIN } from './signing.ts';

describe('signingHash', () => {
  const payload = Uint8Array.of(0xde, 0xad);

  it('is sha256(u8 length ‖ domain ‖ u32le chainId ‖ bytes)', () => {
    const domain = [...new TextEncoder().encode(TX_DOMAIN)];
    const preimage = Uint8Array.of(TX_DOMAIN.length, ...domain, 0x04, 0x03, 0x02, 0x01, 0xde, 0xad);
    expect(TX_DOMAIN).toBe('assetl2/tx/v1');
    expect(toHex(signingHash(TX_DOMAIN, 0x0102_0304, payload))).toBe(toHex(sha256(preimage)));
  });

  it('separates domains, chains and payloads, even where the raw concatenations coincide', () => {
    const base = toHex(signingHash(TX_DOMAIN, 1, payload));
    expect(toHex(signingHash('assetl2/vote/v1', 1, payload))).not.toBe(base);
    expect(toHex(signingHash(TX_DOMAIN, 2, payload))).not.toBe(base);
    expect(toHex(signingHash(TX_DOMAIN, 1, payload.subarray(1)))).not.toBe(base);
    // Without the length byte these two would hash the same input: 'ab' ‖ 63 00 00 00 ‖ 00 01
    // and 'abc' ‖ 00 00 00 00 ‖ 01 are both the bytes 61 62 63 00 00 00 00 01.
    const a = signingHash('ab', 0x63, Uint8Array.of(0, 1));
    const b = signingHash('abc', 0, Uint8Array.of(1));
    expect(toHex(a)).not.toBe(toHex(b));
  });

  it('refuses malformed domains and chain ids', () => {
    for (const domain of ['', 'has space', 'é', 'x'.repeat(256), 'tab\t']) {
      expect(() => signingHash(domain, 1, payload)).toThrow(RangeError);
    }
    expect(() => signingHash('x'.repeat(255), 1, payload)).not.toThrow();
    for (const chainId of [-1, 2 ** 32, 1.5, Number.NaN]) {
      expect(() => signingHash(TX_DOMAIN, chainId, payload)).toThrow(RangeError);
    }
  });
});
