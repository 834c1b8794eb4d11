import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase58 } from '../codec/base58.ts';
import { fromHex, sha256, toHex } from '../codec/hash.ts';
import { AssetL2Error } from '../errors/index.ts';
import {
  decodeTransaction,
  decodeUnsignedTransaction,
  encodeTransaction,
  encodeUnsignedTransaction,
  OPERATION_TAG_OFFSET,
  transactionHash,
  transactionId,
} from './codec.ts';
import { SAMPLE_OPERATIONS, sampleTransaction } from './fixtures/transactions.ts';
import type { Asset, BuyOrder, Operation, OperationName, Transaction } from './types.ts';
import { TX_LIMITS } from './types.ts';

const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
const u64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
const buyOrder: fc.Arbitrary<BuyOrder> = fc.oneof(
  fc.record({ kind: fc.constant('exact_tokens' as const), tokens: u64, maxTotal: u64 }),
  fc.record({ kind: fc.constant('budget' as const), lamports: u64, minTokens: u64 }),
);
const asset: fc.Arbitrary<Asset> = fc.oneof(
  fc.constant({ kind: 'lamports' as const }),
  fc.record({ kind: fc.constant('token' as const), curve: bytes32 }),
);
const template = fc.oneof(
  fc.uint8Array({ maxLength: 64 }),
  fc.uint8Array({ minLength: TX_LIMITS.maxTemplateBytes - 8, maxLength: TX_LIMITS.maxTemplateBytes }),
);
/** Every operation, keyed so that a new Operation variant fails to compile here until covered. */
const operations: { readonly [K in OperationName]: fc.Arbitrary<Extract<Operation, { op: K }>> } = {
  create_curve: fc.record({ op: fc.constant('create_curve' as const), template }),
  buy: fc.record({ op: fc.constant('buy' as const), curve: bytes32, order: buyOrder }),
  sell: fc.record({ op: fc.constant('sell' as const), curve: bytes32, tokens: u64, minOut: u64 }),
  add_liquidity: fc.record({
    op: fc.constant('add_liquidity' as const),
    curve: bytes32,
    lamports: u64,
    tokens: u64,
    minShares: u64,
  }),
  migrate_to_amm: fc.record({ op: fc.constant('migrate_to_amm' as const), curve: bytes32 }),
  remove_liquidity: fc.record({
    op: fc.constant('remove_liquidity' as const),
    curve: bytes32,
    shares: u64,
    minLamports: u64,
    minTokens: u64,
  }),
  transfer: fc.record({ op: fc.constant('transfer' as const), to: bytes32, asset, amount: u64 }),
  claim: fc.record({ op: fc.constant('claim' as const), curve: bytes32 }),
  withdraw: fc.record({ op: fc.constant('withdraw' as const), l1Recipient: bytes32, lamports: u64 }),
  deposit: fc.record({
    op: fc.constant('deposit' as const),
    depositSeq: u64,
    recipient: bytes32,
    lamports: u64,
  }),
};

function transactionOf(operation: fc.Arbitrary<Operation>): fc.Arbitrary<Transaction> {
  return fc.record({
    version: fc.constant(1),
    chainId: fc.nat({ max: 0xffff_ffff }),
    sender: bytes32,
    nonce: u64,
    kind: fc.constantFrom('fast' as const, 'big' as const),
    operation,
    signature: fc.uint8Array({ minLength: 64, maxLength: 64 }),
  });
}

function codeOf(bytes: Uint8Array): string {
  try {
    decodeTransaction(bytes);
    return 'decoded';
  } catch (e) {
    if (!(e instanceof AssetL2Error)) throw e;
    return e.code;
  }
}

const SAMPLES = SAMPLE_OPERATIONS.map((operation) => sampleTransaction(operation));

describe('transaction codec', () => {
  it('round-trips random transactions of every operation', () => {
    for (const [name, operation] of Object.entries(operations)) {
      fc.assert(
        fc.property(transactionOf(operation), (tx) => {
          const bytes = encodeTransaction(tx);
          const back = decodeTransaction(bytes);
          expect(back).toEqual(tx);
          expect(toHex(encodeTransaction(back))).toBe(toHex(bytes));
          expect(bytes[OPERATION_TAG_OFFSET]).toBe(Object.keys(operations).indexOf(name));
          // The unsigned encoding is the same bytes without the trailing signature.
          const unsigned = encodeUnsignedTransaction(tx);
          expect(toHex(unsigned)).toBe(toHex(bytes.subarray(0, bytes.length - 64)));
          const { signature: _signature, ...rest } = tx;
          expect(decodeUnsignedTransaction(unsigned)).toEqual(rest);
          expect(bytes.length).toBeLessThanOrEqual(TX_LIMITS.maxTransactionBytes);
        }),
        { numRuns: 60 },
      );
    }
  });

  it('lays out a sell exactly: little-endian fields, u8 tags, signature last', () => {
    const tx: Transaction = {
      version: 1,
      chainId: 0x0102_0304,
      sender: new Uint8Array(32).fill(0x11),
      nonce: 0x0102_0304_0506_0708n,
      kind: 'big',
      operation: { op: 'sell', curve: new Uint8Array(32).fill(0x22), tokens: 1000n, minOut: 5n },
      signature: new Uint8Array(64).fill(0x33),
    };
    const expected = [
      '01', // version
      '04030201', // chainId u32 LE
      '11'.repeat(32), // sender
      '0807060504030201', // nonce u64 LE
      '01', // kind: big
      '02', // operation tag: sell
      '22'.repeat(32), // curve
      'e803000000000000', // tokens 1000
      '0500000000000000', // minOut 5
      '33'.repeat(64), // signature
    ].join('');
    expect(toHex(encodeTransaction(tx))).toBe(expected);
    expect(encodeTransaction(tx)).toHaveLength(159);
    expect(OPERATION_TAG_OFFSET).toBe(46);
    expect(decodeTransaction(fromHex(expected))).toEqual(tx);
  });

  it('lays out nested tags and the template as a borsh Vec<u8>', () => {
    const header = (tx: Transaction) => toHex(encodeTransaction(tx)).slice(2 * OPERATION_TAG_OFFSET, -128);
    const base = SAMPLES[0]!;
    const c = '22'.repeat(32);
    const curve = new Uint8Array(32).fill(0x22);
    expect(header({ ...base, operation: { op: 'create_curve', template: Uint8Array.of(1, 2, 3) } })).toBe(
      '00' + '03000000' + '010203',
    );
    expect(
      header({
        ...base,
        operation: { op: 'buy', curve, order: { kind: 'budget', lamports: 256n, minTokens: 1n } },
      }),
    ).toBe(`01${c}01` + '0001000000000000' + '0100000000000000');
    expect(
      header({
        ...base,
        operation: { op: 'transfer', to: curve, asset: { kind: 'lamports' }, amount: 2n ** 64n - 1n },
      }),
    ).toBe(`06${c}00` + 'ff'.repeat(8));
    expect(
      header({
        ...base,
        operation: { op: 'transfer', to: curve, asset: { kind: 'token', curve }, amount: 1n },
      }),
    ).toBe(`06${c}01${c}` + '0100000000000000');
    expect(
      header({ ...base, operation: { op: 'deposit', depositSeq: 3n, recipient: curve, lamports: 4n } }),
    ).toBe('09' + '0300000000000000' + c + '0400000000000000');
  });

  it('hashes the full encoding and names a transaction by its signature', () => {
    const tx = SAMPLES[1]!;
    const bytes = encodeTransaction(tx);
    expect(toHex(transactionHash(tx))).toBe(toHex(sha256(bytes)));
    expect(toHex(transactionHash(bytes))).toBe(toHex(sha256(bytes)));
    expect(decodeBase58(transactionId(tx), 64)).toEqual(new Uint8Array(tx.signature));
    expect(transactionId(tx)).not.toBe(transactionId(SAMPLES[2]!));
  });

  it('decoded values own their bytes, even when decoded from a Node Buffer', () => {
    const input = Buffer.from(encodeTransaction(SAMPLES[0]!));
    const tx = decodeTransaction(input);
    input.fill(0);
    expect(tx).toEqual(SAMPLES[0]);
    expect(tx.sender.constructor).toBe(Uint8Array);
    expect(tx.signature.constructor).toBe(Uint8Array);
  });

  it('refuses values a field cannot hold when encoding', () => {
    const tx = SAMPLES[3]!;
    expect(() => encodeTransaction({ ...tx, version: 2 })).toThrow(RangeError);
    expect(() => encodeTransaction({ ...tx, chainId: 2 ** 32 })).toThrow(RangeError);
    expect(() => encodeTransaction({ ...tx, nonce: 2n ** 64n })).toThrow(RangeError);
    expect(() => encodeTransaction({ ...tx, sender: new Uint8Array(31) })).toThrow(RangeError);
    expect(() => encodeTransaction({ ...tx, signature: new Uint8Array(63) })).toThrow(RangeError);
    const tooLong = new Uint8Array(TX_LIMITS.maxTemplateBytes + 1);
    expect(() => encodeTransaction({ ...tx, operation: { op: 'create_curve', template: tooLong } })).toThrow(
      RangeError,
    );
  });
});

describe('transaction decoding of hostile bytes', () => {
  const sell = encodeTransaction(SAMPLES[3]!);
  const patched = (bytes: Uint8Array, at: number, value: number) => {
    const copy = bytes.slice();
    copy[at] = value;
    return copy;
  };

  it('TX_MALFORMED for a truncation at every offset of every operation', () => {
    for (const tx of SAMPLES) {
      const bytes = encodeTransaction(tx);
      for (let cut = 0; cut < bytes.length; cut++) {
        expect(codeOf(bytes.subarray(0, cut)), `${tx.operation.op} cut at ${cut}`).toBe('TX_MALFORMED');
      }
    }
  });

  it('TX_BAD_VERSION for any version byte but 1, before parsing the rest', () => {
    expect(codeOf(patched(sell, 0, 2))).toBe('TX_BAD_VERSION');
    expect(codeOf(patched(sell, 0, 0))).toBe('TX_BAD_VERSION');
    expect(codeOf(Uint8Array.of(2))).toBe('TX_BAD_VERSION');
  });

  it('TX_UNKNOWN_OP for an operation tag out of range', () => {
    expect(codeOf(patched(sell, OPERATION_TAG_OFFSET, 10))).toBe('TX_UNKNOWN_OP');
    expect(codeOf(patched(sell, OPERATION_TAG_OFFSET, 255))).toBe('TX_UNKNOWN_OP');
  });

  it('TX_NON_CANONICAL for any other tag out of range: kind, buy order, asset', () => {
    expect(codeOf(patched(sell, OPERATION_TAG_OFFSET - 1, 2))).toBe('TX_NON_CANONICAL');
    const buy = encodeTransaction(SAMPLES[1]!);
    expect(codeOf(patched(buy, OPERATION_TAG_OFFSET + 1 + 32, 2))).toBe('TX_NON_CANONICAL');
    const transfer = encodeTransaction(SAMPLES[7]!);
    expect(codeOf(patched(transfer, OPERATION_TAG_OFFSET + 1 + 32, 2))).toBe('TX_NON_CANONICAL');
    expect(codeOf(patched(transfer, OPERATION_TAG_OFFSET + 1 + 32, 255))).toBe('TX_NON_CANONICAL');
  });

  it('TX_TRAILING_BYTES for anything after the signature', () => {
    expect(codeOf(Uint8Array.of(...sell, 0))).toBe('TX_TRAILING_BYTES');
    expect(codeOf(Uint8Array.of(...sell, ...sell))).toBe('TX_TRAILING_BYTES');
  });

  it('TX_TOO_LARGE above the limit, whatever the content', () => {
    expect(codeOf(new Uint8Array(TX_LIMITS.maxTransactionBytes + 1).fill(1))).toBe('TX_TOO_LARGE');
    expect(codeOf(new Uint8Array(1 << 20).fill(2))).toBe('TX_TOO_LARGE');
    const padded = new Uint8Array(TX_LIMITS.maxTransactionBytes);
    padded.set(sell);
    expect(codeOf(padded)).toBe('TX_TRAILING_BYTES');
  });

  it('TX_MALFORMED for a template length beyond the limit, without trusting it', () => {
    const tx = SAMPLES[0]!;
    const lengthAt = OPERATION_TAG_OFFSET + 1;
    const withLength = (length: number, body: number) => {
      const bytes = new Uint8Array(lengthAt + 4 + body + 64);
      bytes.set(encodeTransaction(tx).subarray(0, lengthAt));
      new DataView(bytes.buffer).setUint32(lengthAt, length, true);
      return bytes;
    };
    const max = TX_LIMITS.maxTemplateBytes;
    expect(decodeTransaction(withLength(max, max)).operation).toEqual({
      op: 'create_curve',
      template: new Uint8Array(max),
    });
    expect(codeOf(withLength(max + 1, max + 1))).toBe('TX_MALFORMED');
    expect(codeOf(withLength(0xffff_ffff, 10))).toBe('TX_MALFORMED');
    expect(codeOf(withLength(100, 10))).toBe('TX_MALFORMED'); // claims more than there is
  });

  it('error messages say what is wrong', () => {
    expect(() => decodeTransaction(patched(sell, OPERATION_TAG_OFFSET, 10))).toThrow(
      /unknown operation: variant 10 \(at byte 46\)/,
    );
    expect(() => decodeTransaction(patched(sell, 0, 9))).toThrow(/unsupported transaction version 9/);
    expect(() => decodeTransaction(new Uint8Array(0))).toThrow(/empty/);
  });

  it('random and mutated bytes: only AssetL2Error TX_*, and whatever decodes is canonical', () => {
    const valid = SAMPLES.map(encodeTransaction);
    const mutated = fc
      .tuple(
        fc.constantFrom(...valid),
        fc.array(
          fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('set', 'insert', 'delete')),
          {
            minLength: 1,
            maxLength: 4,
          },
        ),
      )
      .map(([bytes, edits]) => {
        const out = [...bytes];
        for (const [at, value, edit] of edits) {
          const i = at % (out.length + 1);
          if (edit === 'set' && i < out.length) out[i] = value;
          else if (edit === 'insert') out.splice(i, 0, value);
          else out.splice(i, 1);
        }
        return Uint8Array.from(out);
      });
    const random = fc
      .uint8Array({ maxLength: 400 })
      .map((b) => (b.length > 0 && b[0]! < 128 ? patched(b, 0, 1) : b));
    fc.assert(
      fc.property(fc.oneof(mutated, random), (bytes) => {
        let tx: Transaction;
        try {
          tx = decodeTransaction(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(AssetL2Error);
          expect((e as AssetL2Error).code).toMatch(/^TX_/);
          return;
        }
        expect(toHex(encodeTransaction(tx))).toBe(toHex(bytes));
      }),
      { numRuns: 5000 },
    );
  });
});
