/**
 * Test support for CurveVM: deterministic addresses, a chain wrapper that numbers nonces and
 * heights, and templates (compiled examples and small hand-built ones that pass their proof
 * obligations).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileCurveScript } from '../../src/curvescript/compiler.ts';
import { buildObligations } from '../../src/curvescript/obligations/index.ts';
import type { CurveTemplate } from '../../src/curvescript/template.ts';
import { encodeTemplate } from '../../src/curvescript/template-codec.ts';
import type { Bytes32, Operation, Transaction } from '../../src/tx/types.ts';
import {
  type BlockResult,
  CurveVM,
  type CurveVMOptions,
  type Genesis,
  type Receipt,
} from '../../src/vm/index.ts';

export const CHAIN_ID = 7;
export const SOL = 1_000_000_000n;
export const DUMMY_SIGNATURE = new Uint8Array(64);

/** A distinct 32-byte address per number (not a key anyone holds: for unsigned runs). */
export function address(n: number): Bytes32 {
  const out = new Uint8Array(32);
  new DataView(out.buffer).setUint32(0, n + 1, false);
  out[31] = 0xa1;
  return out;
}

export const PROTOCOL = address(9_000);
export const BRIDGE = address(9_001);

export function genesisOf(
  accounts: readonly (readonly [Bytes32, bigint])[],
  computeLimitPerBlock = 1e12,
): Genesis {
  return {
    chainId: CHAIN_ID,
    accounts,
    protocolAccount: PROTOCOL,
    bridgeAuthorities: [BRIDGE],
    computeLimitPerBlock,
  };
}

export function unsignedTx(sender: Bytes32, nonce: bigint, operation: Operation): Transaction {
  return {
    version: 1,
    chainId: CHAIN_ID,
    sender,
    nonce,
    kind: operation.op === 'create_curve' ? 'big' : 'fast',
    operation,
    signature: DUMMY_SIGNATURE,
  };
}

/** A VM plus block numbering and nonce tracking (signatures are not verified). */
export class TestChain {
  readonly vm: CurveVM;
  timestamp = 1_700_000_000_000n;
  /** Milliseconds between blocks. */
  blockTime = 250n;
  readonly blocks: { height: bigint; timestamp: bigint; transactions: Transaction[] }[] = [];

  constructor(
    readonly genesis: Genesis,
    options: CurveVMOptions = {},
  ) {
    this.vm = new CurveVM(genesis, options);
  }

  /** Transactions with the senders' next nonces (counting earlier ones in the same list). */
  txs(ops: readonly (readonly [Bytes32, Operation])[]): Transaction[] {
    const pending = new Map<string, bigint>();
    return ops.map(([sender, op]) => {
      const key = sender.join(',');
      const nonce = pending.get(key) ?? this.vm.nextNonce(sender);
      pending.set(key, nonce + 1n);
      return unsignedTx(sender, nonce, op);
    });
  }

  /** Applies one block of operations; returns its result. */
  block(ops: readonly (readonly [Bytes32, Operation])[] = []): BlockResult {
    return this.applyTxs(this.txs(ops));
  }

  applyTxs(transactions: Transaction[]): BlockResult {
    this.timestamp += this.blockTime;
    const block = { height: this.vm.height + 1n, timestamp: this.timestamp, transactions };
    const result = this.vm.applyBlock(block, { verifySignatures: false });
    this.blocks.push(block);
    return result;
  }

  /** One operation in its own block; its receipt. */
  run(sender: Bytes32, op: Operation): Receipt {
    return this.block([[sender, op]]).receipts[0]!;
  }

  /** Empty blocks until `height` is the current height. */
  advanceTo(height: bigint): void {
    while (this.vm.height < height) this.block();
  }
}

const examplesDir = join(import.meta.dirname, '..', '..', '..', '..', 'examples');

export function compileExample(name: string): { template: CurveTemplate; bytes: Uint8Array } {
  const result = compileCurveScript(readFileSync(join(examplesDir, `${name}.curve`), 'utf8'));
  if (!result.ok || !result.compiled) {
    throw new Error(`${name}.curve does not compile: ${result.diagnostics.map((d) => d.message).join('; ')}`);
  }
  return { template: result.compiled.template, bytes: result.compiled.bytes };
}

export function compileSource(source: string): { template: CurveTemplate; bytes: Uint8Array } {
  const result = compileCurveScript(source);
  if (!result.ok || !result.compiled) {
    throw new Error(`does not compile: ${result.diagnostics.map((d) => d.message).join('; ')}`);
  }
  return { template: result.compiled.template, bytes: result.compiled.bytes };
}

/** Canonical bytes of a hand-built template, after checking it passes its obligations. */
export function templateBytes(template: CurveTemplate): Uint8Array {
  const failed = buildObligations(template).filter((o) => !o.evaluate().holds);
  if (failed.length > 0) throw new Error(`template fails ${failed.map((o) => o.name).join(', ')}`);
  return encodeTemplate(template);
}

export function curveIdOf(result: BlockResult, index = 0): Bytes32 {
  const event = result.receipts[index]?.events.find((e) => e.type === 'curve_created');
  if (event?.type !== 'curve_created') throw new Error(`tx ${index} created no curve`);
  return event.curve;
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

/** Exposes an error's code (and BlockInvalidError's reason/index) for toMatchObject. */
export function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected an exception');
}
