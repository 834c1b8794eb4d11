/**
 * TEST BACKEND — not the node. A NodeBackend over a bare CurveVM that applies every admitted
 * transaction at once in a block of its own: no mempool, no consensus, no storage. It exists
 * so the API and the SDK client can be tested (and benchmarked) end to end against real
 * execution; the real node backend (mempool → consensus → executor → stores) implements the
 * same interface next.
 *
 * Genesis funds `funded` deterministic keypairs (seeded from their index) and a faucet for
 * requestAirdrop. Block hashes are this backend's own (sha256 over the header fields), not the
 * node's block format.
 */
import {
  AssetL2Error,
  type Block,
  type BlockResult,
  type Bytes32,
  CurveVM,
  decodeTransaction,
  encodeTransaction,
  isAssetL2Error,
  isBlockInvalid,
  type Keypair,
  keypairFromSeed,
  type Receipt,
  sha256,
  signTransaction,
  type Transaction,
  transactionHash,
  transactionId,
  type VmEvent,
  verifyTransaction,
} from '@assetl2/sdk';
import type {
  AccountInfo,
  BackendEvent,
  BackendListener,
  BlockInfo,
  CurveInfo,
  HealthInfo,
  NodeBackend,
  QuoteInfo,
  QuoteRequest,
  TransactionStatusInfo,
  ValidatorInfo,
} from '../../src/api/backend.ts';
import type { Metrics } from '../../src/api/metrics.ts';
import { accountFromVm, curveFromVm, quoteFromVm } from '../../src/api/vm-reads.ts';

export const SOL = 1_000_000_000n;

export interface VmTestBackendOptions {
  readonly chainId?: number;
  /** Funded keypairs at genesis; default 8. */
  readonly funded?: number;
  /** Lamports each; default 1,000 SOL. */
  readonly lamportsEach?: bigint;
  readonly devnet?: boolean;
  readonly metrics?: Metrics;
  /** Largest airdrop; default 100 SOL. */
  readonly maxAirdrop?: bigint;
}

/** A keypair from a label, the same on every run. */
export function testKeypair(label: string): Keypair {
  return keypairFromSeed(sha256(new TextEncoder().encode(`assetl2 test key ${label}`)));
}

export class VmTestBackend implements NodeBackend {
  readonly chainId: number;
  readonly devnet: boolean;
  readonly vm: CurveVM;
  readonly keypairs: readonly Keypair[];
  readonly faucet: Keypair;
  readonly validatorKeys: readonly Keypair[];
  private readonly metrics: Metrics | undefined;
  private readonly maxAirdrop: bigint;
  private readonly blocks: BlockInfo[] = [];
  private readonly statuses = new Map<string, { height: bigint; receipt: Receipt }>();
  private readonly listeners = new Set<BackendListener>();
  private lastBlockAt: number | undefined;

  constructor(options: VmTestBackendOptions = {}) {
    this.chainId = options.chainId ?? 7;
    this.devnet = options.devnet ?? true;
    this.metrics = options.metrics;
    this.maxAirdrop = options.maxAirdrop ?? 100n * SOL;
    const each = options.lamportsEach ?? 1_000n * SOL;
    this.keypairs = Array.from({ length: options.funded ?? 8 }, (_, i) => testKeypair(`funded ${i}`));
    this.faucet = testKeypair('faucet');
    this.validatorKeys = Array.from({ length: 4 }, (_, i) => testKeypair(`validator ${i}`));
    this.vm = new CurveVM({
      chainId: this.chainId,
      accounts: [
        ...this.keypairs.map((k) => [k.publicKey, each] as const),
        [this.faucet.publicKey, 1_000_000n * SOL] as const,
      ],
      protocolAccount: testKeypair('protocol').publicKey,
      bridgeAuthorities: [testKeypair('bridge').publicKey],
      computeLimitPerBlock: 1e12,
    });
    const stateRoot = this.vm.stateRoot();
    const withdrawalsRoot = this.vm.withdrawalsRoot();
    const parentHash = new Uint8Array(32);
    this.blocks.push({
      height: 0n,
      hash: blockHash(0n, parentHash, 0n, stateRoot, withdrawalsRoot, []),
      parentHash,
      timestamp: 0n,
      proposer: null,
      stateRoot,
      withdrawalsRoot,
      transactionIds: [],
    });
  }

  // ------------------------------------------------------------------ NodeBackend

  health(): HealthInfo {
    return { healthy: true, height: this.vm.height };
  }

  latestBlock(): BlockInfo {
    return this.blocks.at(-1)!;
  }

  block(height: bigint): BlockInfo | undefined {
    return height < BigInt(this.blocks.length) ? this.blocks[Number(height)] : undefined;
  }

  async submit(bytes: Uint8Array): Promise<{ txId: string }> {
    try {
      const tx = decodeTransaction(bytes);
      verifyTransaction(tx, this.chainId);
      const expected = this.vm.nextNonce(tx.sender);
      if (tx.nonce !== expected) {
        throw new AssetL2Error('TX_BAD_NONCE', `nonce ${tx.nonce}, the sender's next is ${expected}`);
      }
      this.applyBlock([tx]);
      return { txId: transactionId(tx) };
    } catch (e) {
      if (isAssetL2Error(e)) this.metrics?.admissionRejected(e.code);
      throw e;
    }
  }

  transactionStatus(txId: string): TransactionStatusInfo {
    const found = this.statuses.get(txId);
    if (!found) return { status: 'unknown' };
    return {
      status: found.receipt.status === 'ok' ? 'committed' : 'failed',
      height: found.height,
      receipt: found.receipt,
    };
  }

  account(address: Bytes32): AccountInfo {
    return accountFromVm(this.vm, address);
  }

  curve(id: Bytes32): CurveInfo | undefined {
    return curveFromVm(this.vm, id);
  }

  quote(curve: Bytes32, request: QuoteRequest): QuoteInfo {
    return quoteFromVm(this.vm, curve, request);
  }

  validators(): ValidatorInfo[] {
    return this.validatorKeys.map((k, index) => ({
      publicKey: k.publicKey,
      index,
      name: `validator-${index}`,
    }));
  }

  async airdrop(address: Bytes32, lamports: bigint): Promise<{ txId: string }> {
    if (lamports === 0n || lamports > this.maxAirdrop) {
      throw new AssetL2Error('INVALID_AMOUNT', `an airdrop is 1 to ${this.maxAirdrop} lamports`);
    }
    const tx = signTransaction(
      {
        version: 1,
        chainId: this.chainId,
        sender: this.faucet.publicKey,
        nonce: this.vm.nextNonce(this.faucet.publicKey),
        kind: 'fast',
        operation: { op: 'transfer', to: address, asset: { kind: 'lamports' }, amount: lamports },
      },
      this.faucet,
    );
    return this.submit(encodeTransaction(tx));
  }

  subscribe(listener: BackendListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ------------------------------------------------------------------ test helpers

  /** Applies `transactions` (already checked) as the next block; also used for empty blocks. */
  applyBlock(transactions: readonly Transaction[]): BlockResult {
    const parent = this.blocks.at(-1)!;
    const timestamp = BigInt(Math.max(Date.now(), Number(this.vm.timestamp)));
    const block: Block = { height: this.vm.height + 1n, timestamp, transactions };
    let result: BlockResult;
    try {
      result = this.vm.applyBlock(block, { verifySignatures: false });
    } catch (e) {
      // One transaction per block: the block's reason is the transaction's.
      if (isBlockInvalid(e)) throw new AssetL2Error(e.reason, e.message);
      throw e;
    }
    const info: BlockInfo = {
      height: block.height,
      hash: blockHash(
        block.height,
        parent.hash,
        timestamp,
        result.stateRoot,
        result.withdrawalsRoot,
        transactions.map((tx) => transactionHash(tx)),
      ),
      parentHash: parent.hash,
      timestamp,
      proposer: this.validatorKeys[Number(block.height % BigInt(this.validatorKeys.length))]!.publicKey,
      stateRoot: result.stateRoot,
      withdrawalsRoot: result.withdrawalsRoot,
      transactionIds: transactions.map(transactionId),
    };
    this.blocks.push(info);
    const now = performance.now();
    const ok = result.receipts.filter((r) => r.status === 'ok').length;
    this.metrics?.blockCommitted({
      height: block.height,
      ok,
      failed: result.receipts.length - ok,
      ...(this.lastBlockAt === undefined ? {} : { blockTimeSeconds: (now - this.lastBlockAt) / 1000 }),
    });
    this.lastBlockAt = now;
    const signatures: BackendEvent[] = [];
    info.transactionIds.forEach((txId, i) => {
      this.statuses.set(txId, { height: block.height, receipt: result.receipts[i]! });
      signatures.push({ kind: 'signature', txId, status: this.transactionStatus(txId) });
    });
    this.emit({ kind: 'block', block: info });
    for (const event of this.curveEvents(block.height, result)) this.emit(event);
    for (const event of signatures) this.emit(event);
    return result;
  }

  private curveEvents(height: bigint, result: BlockResult): BackendEvent[] {
    const byCurve = new Map<string, { id: Bytes32; events: VmEvent[] }>();
    const note = (event: VmEvent) => {
      const curve = 'curve' in event ? event.curve : null;
      if (!curve) return;
      const key = Buffer.from(curve).toString('hex');
      const entry = byCurve.get(key) ?? { id: curve, events: [] };
      byCurve.set(key, entry);
      entry.events.push(event);
    };
    result.events.forEach(note);
    for (const receipt of result.receipts) receipt.events.forEach(note);
    const out: BackendEvent[] = [];
    for (const { id, events } of byCurve.values()) {
      const curve = curveFromVm(this.vm, id);
      if (curve) out.push({ kind: 'curve', height, curve, events });
    }
    return out;
  }

  private emit(event: BackendEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A listener's failure is its own; the chain goes on.
      }
    }
  }
}

function blockHash(
  height: bigint,
  parentHash: Uint8Array,
  timestamp: bigint,
  stateRoot: Uint8Array,
  withdrawalsRoot: Uint8Array,
  txHashes: readonly Uint8Array[],
): Uint8Array {
  const header = new Uint8Array(16 + 32 * (3 + txHashes.length));
  const view = new DataView(header.buffer);
  view.setBigUint64(0, height, true);
  view.setBigUint64(8, timestamp, true);
  header.set(parentHash, 16);
  header.set(stateRoot, 48);
  header.set(withdrawalsRoot, 80);
  txHashes.forEach((h, i) => {
    header.set(h, 112 + 32 * i);
  });
  return sha256(header);
}
