import { describe, expect, it } from 'vitest';
import { AssetL2Error } from '../errors/index.ts';
import type { CurveTemplate } from './template.ts';
import { decodeTemplate, encodeTemplate, TEMPLATE_VERSION, templateHash } from './template-codec.ts';

const rocket: CurveTemplate = {
  name: 'Rocket Cat',
  symbol: 'RCAT',
  decimals: 6,
  supply: 1_000_000_000_000_000n,
  creatorAllocation: 50_000_000_000_000n,
  vestSeconds: 30 * 86_400,
  cliffSeconds: 7 * 86_400,
  curve: {
    kind: 'constant_product',
    virtualQuote: 30_000_000_000n,
    virtualTokens: 1_073_000_000_000_000n,
    sell: 793_100_000_000_000n,
  },
  feeBps: 100,
  feeSplitCreatorBps: 3000,
  reserveFloorBps: 2000,
  sealedBlocks: 3,
  maxBuy: 20_000_000_000_000n,
  migration: {
    trigger: 'sold',
    threshold: 793_100_000_000_000n,
    ammFeeBps: 25,
    migrationFee: 0n,
    lp: 'burn',
  },
};

function codeOf(bytes: Uint8Array): string {
  try {
    decodeTemplate(bytes);
    return 'decoded';
  } catch (e) {
    expect(e).toBeInstanceOf(AssetL2Error);
    return (e as AssetL2Error).code;
  }
}

describe('template codec', () => {
  const bytes = encodeTemplate(rocket);

  it('round-trips and hashes the exact bytes', () => {
    expect(decodeTemplate(bytes)).toEqual(rocket);
    expect(templateHash(bytes)).toMatch(/^[0-9a-f]{64}$/);
    expect(templateHash(bytes)).not.toBe(templateHash(encodeTemplate({ ...rocket, feeBps: 99 })));
  });

  it('lays out the header and the first fields as documented', () => {
    expect([...bytes.subarray(0, 5)]).toEqual([0x41, 0x4c, 0x32, 0x54, TEMPLATE_VERSION]);
    // name: u32 length 10 then ASCII
    expect([...bytes.subarray(5, 9)]).toEqual([10, 0, 0, 0]);
    expect(new TextDecoder().decode(bytes.subarray(9, 19))).toBe('Rocket Cat');
  });

  it('round-trips every curve shape', () => {
    const curves: CurveTemplate['curve'][] = [
      { kind: 'linear', startPrice: 1_000n, endPrice: 50_000n, sell: 800_000_000_000_000n },
      {
        kind: 'exponential',
        startPrice: 100n,
        growthBps: 50,
        stepTokens: 1_000_000_000_000n,
        sell: 500_000_000_000_000n,
      },
      {
        kind: 'sigmoid',
        minPrice: 100n,
        maxPrice: 100_000n,
        midpoint: 4n,
        width: 8n,
        sell: 800_000_000_000_000n,
      },
      {
        kind: 'piecewise',
        segments: [
          { fromPrice: 1_000n, toPrice: 5_000n, until: 200_000_000_000_000n },
          { fromPrice: 5_000n, toPrice: 60_000n, until: 800_000_000_000_000n },
        ],
      },
    ];
    for (const curve of curves) {
      const t = { ...rocket, curve, migration: null, maxBuy: null };
      expect(decodeTemplate(encodeTemplate(t))).toEqual(t);
    }
  });

  it('rejects every malformed input with its typed error', () => {
    expect(codeOf(new Uint8Array())).toBe('TEMPLATE_BAD_MAGIC');
    expect(codeOf(Uint8Array.from([0x41, 0x4c, 0x32, 0x55, 1]))).toBe('TEMPLATE_BAD_MAGIC');
    const otherVersion = bytes.slice();
    otherVersion[4] = 2;
    expect(codeOf(otherVersion)).toBe('TEMPLATE_BAD_VERSION');
    for (let cut = 5; cut < bytes.length; cut += 7)
      expect(codeOf(bytes.subarray(0, cut))).toBe('TEMPLATE_MALFORMED');
    expect(codeOf(Uint8Array.from([...bytes, 0]))).toBe('TEMPLATE_TRAILING_BYTES');
    // maxBuy option tag is the byte before its u64; the migration option follows.
    const migrationTag = bytes.length - (1 + 1 + 8 + 2 + 8 + 1);
    const badOption = bytes.slice();
    badOption[migrationTag] = 2;
    expect(codeOf(badOption)).toBe('TEMPLATE_MALFORMED');
    const badLp = bytes.slice();
    badLp[bytes.length - 1] = 7;
    expect(codeOf(badLp)).toBe('TEMPLATE_MALFORMED');
    const hugeName = bytes.slice();
    hugeName[5] = 0xff;
    hugeName[6] = 0xff;
    expect(codeOf(hugeName)).toBe('TEMPLATE_MALFORMED');
    const controlChar = bytes.slice();
    controlChar[9] = 0x07;
    expect(codeOf(controlChar)).toBe('TEMPLATE_MALFORMED');
  });

  it('re-validates the decoded values (the VM never trusts the compiler)', () => {
    const invalid: CurveTemplate[] = [
      { ...rocket, decimals: 12 },
      { ...rocket, feeBps: 1001 },
      { ...rocket, sealedBlocks: 33 },
      { ...rocket, symbol: 'rc' },
      { ...rocket, cliffSeconds: rocket.vestSeconds + 1 },
      { ...rocket, curve: { ...rocket.curve, sell: 1_073_000_000_000_000n } as CurveTemplate['curve'] },
      { ...rocket, creatorAllocation: rocket.supply / 4n },
    ];
    for (const t of invalid) expect(codeOf(encodeTemplate(t))).toBe('TEMPLATE_INVALID');
  });
});

describe('validateTemplate on templates built in code', () => {
  it('rejects negative or fractional counts before anything else', async () => {
    const { validateTemplate } = await import('./validate.ts');
    expect(validateTemplate({ ...rocket, feeBps: -1 }).map((i) => i.field)).toEqual(['feeBps']);
    expect(validateTemplate({ ...rocket, decimals: 6.5 }).map((i) => i.field)).toEqual(['decimals']);
    expect(
      validateTemplate({
        ...rocket,
        curve: { kind: 'exponential', startPrice: 1n, growthBps: -5, stepTokens: 1n, sell: 10n },
      }).map((i) => i.field),
    ).toEqual(['curve.growthBps']);
    expect(validateTemplate(rocket)).toEqual([]);
  });
});
