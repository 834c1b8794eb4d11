/**
 * Storage test support: temporary LMDB directories, and a real chain — a CurveVM over a genesis
 * funding a few keypairs, blocks of SDK-signed transactions executed and certified by a
 * single devnet validator — whose BlockResults feed `commitBlock`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type BlockKind,
  type BlockResult,
  blockHash,
  type CertifiedBlock,
  CurveVM,
  compileCurveScript,
  createBlockHeader,
  type Genesis,
  type Keypair,
  keypairFromSeed,
  type Operation,
  type Receipt,
  signBlock,
  signTransaction,
  type Transaction,
  TX_VERSION,
  transactionHash,
} from '@assetl2/sdk';
import type { BlockCommit } from '../../src/storage/index.ts';

export const CHAIN_ID = 0x5a17;
export const SOL = 1_000_000_000n;

const dirs: string[] = [];

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'assetl2-storage-'));
  dirs.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export function keypair(n: number): Keypair {
  const seed = new Uint8Array(32).fill(0x3c);
  new DataView(seed.buffer).setUint32(0, n, true);
  return keypairFromSeed(seed);
}

/** A small launch with a sealed window (so blocks carry clearing events), a floor and a cap. */
export const LAUNCH_SCRIPT = `
launch "Storage Test" symbol STT
decimals 6
supply 1_000_000 tokens
creator_allocation 5% vest 1 days cliff 0 days
curve constant_product
  virtual_quote 10 sol
  virtual_tokens 1_100_000 tokens
  sell 800_000 tokens
fee 1%
fee_split creator 30%
reserve_floor 20%
sealed 2 blocks
max_buy 300_000 tokens
migrate when sold 800_000 tokens to amm fee 0.3% migration_fee 0.01 sol lp creator
`;

let template: Uint8Array | undefined;

export function launchTemplate(): Uint8Array {
  if (template) return template;
  const result = compileCurveScript(LAUNCH_SCRIPT);
  if (!result.ok || !result.compiled) {
    throw new Error(`test script does not compile: ${result.diagnostics.map((d) => d.message).join('; ')}`);
  }
  template = result.compiled.bytes;
  return template;
}

export interface ProducedBlock {
  readonly block: CertifiedBlock;
  readonly result: BlockResult;
  readonly commit: BlockCommit;
}

/** A devnet chain: one validator (quorum 1), users 0..n-1 funded at genesis. */
export class TestChain {
  readonly validator = keypair(1_000);
  readonly users: Keypair[];
  readonly genesis: Genesis;
  readonly vm: CurveVM;
  private parentHash = new Uint8Array(32);
  private timestamp = 1_760_000_000_000n;

  constructor(userCount = 4) {
    this.users = Array.from({ length: userCount }, (_, i) => keypair(i));
    this.genesis = {
      chainId: CHAIN_ID,
      accounts: this.users.map((u) => [u.publicKey, 1_000n * SOL] as const),
      protocolAccount: keypair(2_000).publicKey,
      bridgeAuthorities: [keypair(2_001).publicKey],
      computeLimitPerBlock: 10_000_000,
    };
    this.vm = new CurveVM(this.genesis);
  }

  /** Signs `ops` (user index, operation) with consecutive nonces per sender. */
  sign(ops: readonly (readonly [number, Operation])[]): Transaction[] {
    const next = new Map<number, bigint>();
    return ops.map(([user, operation]) => {
      const kp = this.users[user]!;
      const nonce = next.get(user) ?? this.vm.nextNonce(kp.publicKey);
      next.set(user, nonce + 1n);
      return signTransaction(
        {
          version: TX_VERSION,
          chainId: CHAIN_ID,
          sender: kp.publicKey,
          nonce,
          kind: operation.op === 'create_curve' ? 'big' : 'fast',
          operation,
        },
        kp,
      );
    });
  }

  /** Executes a block of these transactions, certifies it and returns what to commit. */
  produce(transactions: readonly Transaction[], kind?: BlockKind): ProducedBlock {
    this.timestamp += 250n;
    const height = this.vm.height + 1n;
    const result = this.vm.applyBlock(
      { height, timestamp: this.timestamp, transactions },
      { verifySignatures: true },
    );
    const header = createBlockHeader(
      {
        chainId: CHAIN_ID,
        height,
        view: height,
        parentHash: this.parentHash,
        timestamp: this.timestamp,
        kind: kind ?? (transactions.length === 0 ? 'heartbeat' : 'fast'),
        stateRoot: result.stateRoot,
        withdrawalsRoot: result.withdrawalsRoot,
        proposer: this.validator.publicKey,
      },
      transactions,
    );
    const block: CertifiedBlock = {
      header,
      transactions,
      certificate: { view: header.view, signatures: [signBlock(header, this.validator)] },
    };
    this.parentHash = new Uint8Array(blockHash(header));
    return {
      block,
      result,
      commit: {
        block,
        receipts: result.receipts,
        changes: result.changes,
        withdrawals: result.withdrawals,
        events: result.events,
      },
    };
  }

  /** Curve id of a CREATE_CURVE transaction. */
  static curveOf(tx: Transaction): Uint8Array {
    return transactionHash(tx);
  }
}

/** A receipt as a plain object (CurveVM's receipts compute txId lazily, behind a getter). */
export function plainReceipt(receipt: Receipt): Receipt {
  const { index, txId, status, error, message, computeUnits, events } = receipt;
  return {
    index,
    txId: new Uint8Array(txId),
    status,
    ...(error === undefined ? {} : { error }),
    ...(message === undefined ? {} : { message }),
    computeUnits,
    events: plain(events),
  };
}

const recipient = (n: number) => new Uint8Array(32).fill(0xb0 + n);

/**
 * `count` blocks exercising every kind of record and receipt: transfers, a launch with a
 * sealed window (escrows, then a clearing in block 4's events), buys of both kinds, sells,
 * token transfers, claims, withdrawals (leaves), a failing transaction and empty blocks.
 */
export function produceScenario(chain: TestChain, count: number): ProducedBlock[] {
  const produced: ProducedBlock[] = [];
  const [create] = chain.sign([[0, { op: 'create_curve', template: launchTemplate() }]]);
  const curve = TestChain.curveOf(create!);
  const user = (i: number) => chain.users[i]!.publicKey;
  const holding = (i: number) => chain.vm.holding(user(i), curve).amount;
  for (let n = 1; n <= count; n++) {
    let txs: Transaction[];
    switch (n) {
      case 1:
        txs = [
          create!,
          ...chain.sign([
            [1, { op: 'transfer', to: user(2), asset: { kind: 'lamports' }, amount: 5n * SOL }],
            [3, { op: 'transfer', to: user(0), asset: { kind: 'lamports' }, amount: 7n }],
          ]),
        ];
        break;
      case 2:
        txs = chain.sign([
          [1, { op: 'buy', curve, order: { kind: 'budget', lamports: 2n * SOL, minTokens: 1n } }],
          [
            2,
            {
              op: 'buy',
              curve,
              order: { kind: 'exact_tokens', tokens: 10_000_000_000n, maxTotal: 5n * SOL },
            },
          ],
        ]);
        break;
      case 3:
        txs = chain.sign([
          [3, { op: 'buy', curve, order: { kind: 'budget', lamports: SOL, minTokens: 1n } }],
          [1, { op: 'withdraw', l1Recipient: recipient(1), lamports: SOL }],
        ]);
        break;
      case 4:
        txs = chain.sign([
          [0, { op: 'withdraw', l1Recipient: recipient(0), lamports: 2n * SOL }],
          [
            3,
            {
              op: 'buy',
              curve: new Uint8Array(32).fill(0xee),
              order: { kind: 'budget', lamports: SOL, minTokens: 1n },
            },
          ],
        ]);
        break;
      case 5:
        txs = chain.sign([
          [1, { op: 'sell', curve, tokens: holding(1) / 2n, minOut: 0n }],
          [2, { op: 'transfer', to: user(3), asset: { kind: 'token', curve }, amount: 1_000_000n }],
          [0, { op: 'claim', curve }],
        ]);
        break;
      default: {
        const i = n % chain.users.length;
        const j = (n + 1) % chain.users.length;
        txs =
          n % 4 === 2
            ? []
            : chain.sign([
                [i, { op: 'buy', curve, order: { kind: 'budget', lamports: SOL / 2n, minTokens: 1n } }],
                [j, { op: 'sell', curve, tokens: holding(j) / 3n, minOut: 0n }],
                ...(n % 3 === 0
                  ? ([[i, { op: 'withdraw', l1Recipient: recipient(i), lamports: SOL / 10n }]] as const)
                  : []),
              ]);
      }
    }
    produced.push(chain.produce(txs));
  }
  return produced;
}

/** The value with every Buffer (what node:crypto hashes are) as a plain Uint8Array, as decoded. */
export function plain<T>(value: T): T {
  if (value instanceof Uint8Array) return new Uint8Array(value) as T;
  if (Array.isArray(value)) return value.map(plain) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)])) as T;
  }
  return value;
}
