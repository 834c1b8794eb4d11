import { describe, expect, it } from 'vitest';
import { compileCurveScript } from '../curvescript/compiler.ts';
import type { CurveTemplate } from '../curvescript/template.ts';
import vectors from './fixtures/curve-quotes.json' with { type: 'json' };
import { templateOf, VECTOR_CURVES } from './fixtures/templates.ts';
import {
  applyBuy,
  createCurveModel,
  initialCurveState,
  quoteBuyBudget,
  quoteBuyExact,
  quoteSell,
  reserveTarget,
  vaultOf,
} from './index.ts';

type Case = Readonly<Record<string, string>>;

/** Each vector curve comes with its CurveScript: quotes run on what the compiler makes of it. */
const compiled = new Map<string, CurveTemplate>(
  vectors.curves.map((curve) => {
    const result = compileCurveScript(curve.script);
    if (!result.ok || !result.compiled) throw new Error(`vector script ${curve.name} does not compile`);
    return [curve.name, result.compiled.template];
  }),
);

const INPUTS = ['sold', 'buyTokens', 'buyLamports', 'sellTokens'];

function quoteCase(name: string, c: Case): Record<string, string> {
  const model = createCurveModel(compiled.get(name)!);
  const launch = initialCurveState(model);
  const sold = BigInt(c.sold!);
  const state = sold === 0n ? launch : applyBuy(model, launch, quoteBuyExact(model, launch, sold));
  const quote =
    c.buyTokens !== undefined
      ? quoteBuyExact(model, state, BigInt(c.buyTokens))
      : c.buyLamports !== undefined
        ? quoteBuyBudget(model, state, BigInt(c.buyLamports))
        : quoteSell(model, state, BigInt(c.sellTokens!));
  return Object.fromEntries(Object.entries(quote).map(([k, v]) => [k, String(v)]));
}

describe('curve-quotes.json vectors', () => {
  it('compiles each vector script to the template its numbers describe', () => {
    for (const curve of vectors.curves)
      expect(compiled.get(curve.name)).toEqual(templateOf(VECTOR_CURVES[curve.name]!));
  });

  it('covers the five shapes, each with buys by tokens, by lamports and sells', () => {
    expect(vectors.curves.map((c) => c.name).sort()).toEqual(Object.keys(VECTOR_CURVES).sort());
    for (const curve of vectors.curves) {
      const kinds = new Set(
        curve.cases.map((c) => Object.keys(c).find((k) => k !== 'sold' && INPUTS.includes(k))),
      );
      expect(kinds).toEqual(new Set(['buyTokens', 'buyLamports', 'sellTokens']));
    }
  });

  for (const curve of vectors.curves) {
    const cases: readonly Case[] = curve.cases.map((c) =>
      Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)),
    );
    it.each(cases.map((c, i) => [i, c] as const))(`${curve.name} case %i`, (_, c) => {
      const expected = Object.fromEntries(Object.entries(c).filter(([k]) => !INPUTS.includes(k)));
      expect(quoteCase(curve.name, c)).toEqual(expected);
    });
  }

  it('reaches the vault T(sold) (X − X0 for constant product) after the launch buy', () => {
    for (const curve of vectors.curves) {
      const model = createCurveModel(templateOf(VECTOR_CURVES[curve.name]!));
      const sold = BigInt(curve.cases.at(-1)!.sold);
      const launch = initialCurveState(model);
      const buy = quoteBuyExact(model, launch, sold);
      const state = applyBuy(model, launch, buy);
      expect(vaultOf(model, state)).toBe(buy.net);
      if (model.kind !== 'constant_product') expect(reserveTarget(model, sold)).toBe(buy.net);
    }
  });
});
