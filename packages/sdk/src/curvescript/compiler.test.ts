import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileCurveScript } from './compiler.ts';

const example = (name: string) =>
  readFileSync(join(import.meta.dirname, '..', '..', '..', '..', 'examples', name), 'utf8');

describe('compileCurveScript', () => {
  it('resolves every unit of the reference launch to integers', () => {
    const result = compileCurveScript(example('rocket.curve'));
    expect(result.diagnostics).toEqual([]);
    expect(result.compiled?.template).toEqual({
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
      feeSplitCreatorBps: 3_000,
      reserveFloorBps: 2_000,
      sealedBlocks: 3,
      maxBuy: 20_000_000_000_000n,
      migration: {
        trigger: 'sold',
        threshold: 793_100_000_000_000n,
        ammFeeBps: 25,
        migrationFee: 0n,
        lp: 'burn',
      },
    });
  });

  it('scales tokens by decimals wherever they are declared', () => {
    const source =
      'launch "D" symbol DD\nsupply 2.5 tokens\ncurve linear\n start_price 1 sol\n end_price 2 sol\n sell 1.000000001 tokens\ndecimals 9\n';
    const t = compileCurveScript(source).compiled?.template;
    expect(t?.supply).toBe(2_500_000_000n);
    expect(t?.curve).toEqual({
      kind: 'linear',
      startPrice: 1_000_000_000n,
      endPrice: 2_000_000_000n,
      sell: 1_000_000_001n,
    });
  });

  it('reports several independent errors in one run', () => {
    const source = [
      'launch "Many" symbol MANY',
      'suply 1 tokens',
      'supply 1_000 tokens',
      'fee 0.125%',
      'sealed 2.5 blocks',
      'curve linear',
      '  start_price 1 lamports',
      '  end_price 2 lamports',
      '  sell 10 tokens',
      '  witdh 3 tokens',
    ].join('\n');
    const lines = compileCurveScript(source).diagnostics.map((d) => `${d.line}:${d.col}`);
    expect(lines).toEqual(['2:1', '4:5', '5:8', '10:3']);
  });

  it('notes the sigmoid approximation error at the curve line', () => {
    const notes = compileCurveScript(example('sigmoid.curve')).diagnostics.filter(
      (d) => d.severity === 'note',
    );
    expect(notes).toHaveLength(1);
    expect(notes[0]?.line).toBe(4);
    expect(notes[0]?.message).toMatch(/32 linear segments.*\d+\.\d+%/);
  });

  it('never throws on input that is not CurveScript', () => {
    for (const s of ['\u0000', 'launch', 'curve', 'launch "x" symbol', '"""', '%%%', '1 2 3']) {
      expect(compileCurveScript(s).ok).toBe(false);
    }
  });
});

describe('source encodings', () => {
  it('accepts a byte-order mark and CRLF line ends with unchanged positions and bytes', () => {
    const unix = example('linear.curve');
    const windows = `\uFEFF${unix.replaceAll('\n', '\r\n')}`;
    const a = compileCurveScript(unix);
    const b = compileCurveScript(windows);
    expect(b.ok).toBe(true);
    expect(b.compiled?.templateHash).toBe(a.compiled?.templateHash);
    const broken = compileCurveScript(
      `\uFEFF${unix.replace('fee 1%', 'fee 0.125%')}`.replaceAll('\n', '\r\n'),
    );
    expect(broken.diagnostics.map((d) => [d.line, d.col])).toEqual([[9, 5]]);
  });
});
