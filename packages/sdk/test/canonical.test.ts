import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileCurveScript, decodeTemplate, encodeTemplate, toHex } from '../src/index.ts';

/**
 * Compilation is deterministic and canonical: scripts that differ only in comments, spacing,
 * statement order, `_` separators, equivalent units or explicitly written defaults compile
 * to identical bytes.
 */
interface LaunchSpec {
  supplyTokens: bigint;
  sellTokens: bigint;
  startLamports: bigint;
  endLamports: bigint;
  feeBps: number;
  splitBps: number;
  sealed: number;
}

const specArbitrary: fc.Arbitrary<LaunchSpec> = fc
  .record({
    supplyTokens: fc.bigInt({ min: 1_000n, max: 10_000_000_000n }),
    sellPermille: fc.integer({ min: 1, max: 1000 }),
    startLamports: fc.bigInt({ min: 0n, max: 1_000_000n }),
    rise: fc.bigInt({ min: 0n, max: 1_000_000n }),
    feeBps: fc.integer({ min: 0, max: 1000 }),
    splitBps: fc.integer({ min: 0, max: 10_000 }),
    sealed: fc.integer({ min: 0, max: 32 }),
  })
  .map((r) => ({
    supplyTokens: r.supplyTokens,
    sellTokens: (r.supplyTokens * BigInt(r.sellPermille)) / 1000n || 1n,
    startLamports: r.startLamports,
    endLamports: r.startLamports + r.rise,
    feeBps: r.feeBps,
    splitBps: r.splitBps,
    sealed: r.sealed,
  }));

/** Random but equivalent spellings of a number. */
function digits(n: bigint, underscores: boolean): string {
  const s = n.toString();
  if (!underscores) return s;
  return s.replace(/\B(?=(\d{3})+(?!\d))/g, '_');
}

function rate(bps: number, style: number): string {
  const spellings = [`${bps} bps`, `${Math.floor(bps / 100)}.${String(bps % 100).padStart(2, '0')}%`];
  if (bps % 100 === 0) spellings.push(`${bps / 100}%`);
  return spellings[style % spellings.length]!;
}

function lamports(n: bigint, style: number): string {
  if (style % 2 === 1 && n % 1_000_000_000n === 0n) return `${digits(n / 1_000_000_000n, true)} sol`;
  if (style % 3 === 2 && n % 1_000n === 0n && n > 0n) {
    const sol = (n * 1_000_000n) / 1_000_000_000n;
    return `0.${sol.toString().padStart(6, '0')} sol`;
  }
  return `${digits(n, style % 2 === 0)} lamports`;
}

function render(
  spec: LaunchSpec,
  style: { seed: number; order: number[]; explicitDefaults: boolean },
): string {
  const s = style.seed;
  const pad = s % 2 === 0 ? ' ' : ' \t ';
  const optional: string[] = [];
  if (spec.feeBps !== 0 || style.explicitDefaults) optional.push(`fee${pad}${rate(spec.feeBps, s)}`);
  if (spec.splitBps !== 0 || style.explicitDefaults)
    optional.push(`fee_split creator ${rate(spec.splitBps, s >> 1)}`);
  if (spec.sealed !== 0) optional.push(`sealed ${spec.sealed} blocks`);
  if (style.explicitDefaults) optional.push('decimals 6');
  optional.push(`supply ${digits(spec.supplyTokens, s % 3 === 0)} tokens`);
  const curve = [
    `curve linear${s % 5 === 0 ? '   # the shape' : ''}`,
    `${s % 2 ? '    ' : '  '}start_price ${lamports(spec.startLamports, s)}`,
    `end_price ${lamports(spec.endLamports, s >> 2)}`,
    `  sell ${digits(spec.sellTokens, s % 2 === 1)} tokens`,
  ].join('\n');
  const blocks = [...optional, curve];
  const ordered = style.order
    .map((i) => blocks[i % blocks.length]!)
    .filter((b, i, all) => all.indexOf(b) === i);
  for (const b of blocks) if (!ordered.includes(b)) ordered.push(b);
  const comment = s % 7 === 0 ? '# a comment line\n\n' : '';
  return `${comment}launch "Canonical" symbol CANON\n${ordered.join(s % 4 === 0 ? '\n\n' : '\n')}\n`;
}

describe('canonical compilation', () => {
  it('equivalent spellings compile to identical bytes', () => {
    const style = fc.record({
      seed: fc.nat(1000),
      order: fc.array(fc.nat(10), { maxLength: 8 }),
      explicitDefaults: fc.boolean(),
    });
    fc.assert(
      fc.property(specArbitrary, style, style, (spec, a, b) => {
        const first = compileCurveScript(render(spec, a), { evaluateObligations: false });
        const second = compileCurveScript(render(spec, b), { evaluateObligations: false });
        expect(first.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        expect(second.ok).toBe(true);
        expect(toHex(first.compiled!.bytes)).toBe(toHex(second.compiled!.bytes));
        expect(first.compiled!.templateHash).toBe(second.compiled!.templateHash);
      }),
      { numRuns: 200 },
    );
  });

  it('is deterministic and round-trips through the decoder', () => {
    fc.assert(
      fc.property(specArbitrary, fc.nat(1000), (spec, seed) => {
        const source = render(spec, { seed, order: [], explicitDefaults: false });
        const a = compileCurveScript(source, { evaluateObligations: false });
        const b = compileCurveScript(source, { evaluateObligations: false });
        expect(toHex(a.compiled!.bytes)).toBe(toHex(b.compiled!.bytes));
        const decoded = decodeTemplate(a.compiled!.bytes);
        expect(decoded).toEqual(a.compiled!.template);
        expect(toHex(encodeTemplate(decoded))).toBe(toHex(a.compiled!.bytes));
      }),
      { numRuns: 100 },
    );
  });

  it('different launches compile to different bytes', () => {
    fc.assert(
      fc.property(specArbitrary, specArbitrary, (x, y) => {
        fc.pre(
          JSON.stringify(x, (_k, v) => (typeof v === 'bigint' ? `${v}` : v)) !==
            JSON.stringify(y, (_k, v) => (typeof v === 'bigint' ? `${v}` : v)),
        );
        const style = { seed: 1, order: [], explicitDefaults: false };
        const a = compileCurveScript(render(x, style), { evaluateObligations: false });
        const b = compileCurveScript(render(y, style), { evaluateObligations: false });
        expect(a.compiled!.templateHash).not.toBe(b.compiled!.templateHash);
      }),
      { numRuns: 100 },
    );
  });
});
