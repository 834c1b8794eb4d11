/**
 * Pinned roots: a seeded scenario of random blocks (every operation kind, failures, sealed
 * windows, migrations, withdrawals, deposits) whose state and withdrawals roots after every
 * block are digested into one hash. The roots are consensus: any change to a record encoding,
 * a state key, the tree's hashing or shape, or to what a block commits, shows up here. The
 * values were recorded before the state-root optimisations and must never change silently.
 */
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../src/codec/hash.ts';
import { CurveVM } from '../../src/vm/index.ts';
import {
  GENESIS,
  launchSpecs,
  type Model,
  type OpSpec,
  resolve,
  seededSpec,
  seededUint32,
} from './generators.ts';
import { hex, TestChain } from './helpers.ts';

/** Blocks of 0–11 seeded specs after the launch block; every 9th block a buying rush. */
function scenario(seed: number, blocks: number): { specs: OpSpec[]; gapMs: bigint }[] {
  const next = seededUint32(seed);
  const out = [{ specs: launchSpecs(), gapMs: 0n }];
  for (let b = 1; b < blocks; b++) {
    const specs = Array.from({ length: next() % 12 }, () => seededSpec(next));
    if (b % 9 === 0) {
      for (let i = 0; i < 5; i++)
        specs.push({ ...seededSpec(next), kind: 'buyBudget', sender: i, frac: 400 });
    }
    const gapMs = next() % 7 === 0 ? 3_600_000n : 0n;
    out.push({ specs, gapMs });
  }
  return out;
}

/** Runs the scenario; returns sha256 of every block's stateRoot ‖ withdrawalsRoot and the VM. */
function runScenario(seed: number, blocks: number): { digest: string; vm: CurveVM } {
  const chain = new TestChain(GENESIS);
  const model: Model = { nonces: new Map(), depositSeq: 0n, curves: [] };
  const roots: Uint8Array[] = [];
  for (const { specs, gapMs } of scenario(seed, blocks)) {
    const ops = specs.map((s) => resolve(s, model, chain.vm));
    chain.blockTime = 250n + gapMs;
    const result = chain.block(ops);
    for (const r of result.receipts) {
      for (const e of r.events) if (e.type === 'curve_created') model.curves.push(e.curve);
    }
    roots.push(result.stateRoot, result.withdrawalsRoot);
  }
  const all = new Uint8Array(32 * roots.length);
  for (const [i, r] of roots.entries()) all.set(r, 32 * i);
  return { digest: hex(sha256(all)), vm: chain.vm };
}

describe('pinned roots', () => {
  it('genesis root', () => {
    expect(hex(new CurveVM(GENESIS).stateRoot())).toBe(
      '5403a0293b072ab0e85e712823dfbd8aec0cdddf0be4d1c0b876b7540b30e19f',
    );
  });

  it('a seeded 200-block scenario gives the same roots block after block', () => {
    const { digest, vm } = runScenario(1, 200);
    expect(hex(vm.stateRoot())).toBe('90cbd63b185b70a0326e23fe033eed018ed0b1e2740c027c9c5c5728f87c2d7e');
    expect(hex(vm.withdrawalsRoot())).toBe(
      '9597167b75f42d15eae5423e24e3813329d1ca004c5227a6a702b1f2ebd5dc41',
    );
    expect(digest).toBe('6b3658a4004953e92d91992ab25c7d546773a18afad5a55a88cff9cba5f38bdd');
  });
});
