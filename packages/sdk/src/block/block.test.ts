import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AssetL2Error } from '../errors/index.ts';
import { encodeTransaction, transactionHash } from '../tx/codec.ts';
import { SAMPLE_OPERATIONS, sampleTransaction } from '../tx/fixtures/transactions.ts';
import { ed25519 } from '../tx/index.ts';
import { keypairFromSeed } from '../tx/keys.ts';
import { signingHash, TX_DOMAIN } from '../tx/signing.ts';
import type { Transaction } from '../tx/types.ts';
import { checkBlock, checkBlockBody, createBlockHeader, executionBlock } from './block.ts';
import { blockSigningHash, signBlock, verifyCertificate } from './certificate.ts';
import {
  BLOCK_HEADER_BYTES,
  blockHash,
  decodeBlock,
  decodeBlockHeader,
  decodeCertificate,
  encodeBlock,
  encodeBlockHeader,
  encodeCertificate,
} from './codec.ts';
import { transactionsRoot, transactionsRootOfHashes } from './merkle.ts';
import {
  BLOCK_DOMAIN,
  BLOCK_LIMITS,
  type BlockHeader,
  type BlockKind,
  type Certificate,
  type CertifiedBlock,
} from './types.ts';

const CHAIN_ID = 0x4c32;
const filled = (length: number, byte: number) => new Uint8Array(length).fill(byte);
const committee = [1, 2, 3, 4].map((i) => keypairFromSeed(filled(32, i)));
const committeeKeys = committee.map((k) => k.publicKey);
const QUORUM = 3; // ⌊2·4/3⌋ + 1
/** Offset of the first transaction's bytes: header, Vec count, the transaction's length. */
const FIRST_TX_BYTE = BLOCK_HEADER_BYTES + 4 + 4;

/** Transactions of every operation, with consecutive nonces so they are all distinct. */
const TRANSACTIONS: readonly Transaction[] = SAMPLE_OPERATIONS.map((op, i) =>
  sampleTransaction(op, BigInt(i)),
);

function header(overrides: Partial<BlockHeader> = {}, transactions = TRANSACTIONS.slice(0, 3)): BlockHeader {
  return {
    ...createBlockHeader(
      {
        chainId: CHAIN_ID,
        height: 7n,
        view: 9n,
        parentHash: filled(32, 0xaa),
        timestamp: 1_750_000_000_123n,
        kind: 'fast',
        stateRoot: filled(32, 0x51),
        withdrawalsRoot: filled(32, 0x52),
        proposer: committeeKeys[0]!,
      },
      transactions,
    ),
    ...overrides,
  };
}

function certified(h: BlockHeader, transactions: readonly Transaction[], signers = committee.slice(0, 3)) {
  const block: CertifiedBlock = {
    header: h,
    transactions,
    certificate: { view: h.view, signatures: signers.map((k) => signBlock(h, k)) },
  };
  return block;
}

function codeOf(run: () => unknown): string {
  try {
    run();
    return 'ok';
  } catch (e) {
    expect(e).toBeInstanceOf(AssetL2Error);
    return (e as AssetL2Error).code;
  }
}

const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
const u64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
const headerArb: fc.Arbitrary<BlockHeader> = fc.record({
  chainId: fc.integer({ min: 0, max: 0xffff_ffff }),
  height: u64,
  view: u64,
  parentHash: bytes32,
  timestamp: u64,
  kind: fc.constantFrom<BlockKind>('fast', 'big', 'heartbeat'),
  txCount: fc.integer({ min: 0, max: 0xffff_ffff }),
  txRoot: bytes32,
  stateRoot: bytes32,
  withdrawalsRoot: bytes32,
  proposer: bytes32,
});
const certificateArb: fc.Arbitrary<Certificate> = fc.record({
  view: u64,
  signatures: fc.array(
    fc.record({ signer: bytes32, signature: fc.uint8Array({ minLength: 64, maxLength: 64 }) }),
    { maxLength: 8 },
  ),
});
const blockArb: fc.Arbitrary<CertifiedBlock> = fc.record({
  header: headerArb,
  transactions: fc.subarray([...TRANSACTIONS]),
  certificate: certificateArb,
});

describe('block codec', () => {
  it('round-trips headers, certificates and blocks byte for byte', () => {
    fc.assert(
      fc.property(headerArb, (h) => {
        const bytes = encodeBlockHeader(h);
        expect(bytes).toHaveLength(BLOCK_HEADER_BYTES);
        const back = decodeBlockHeader(bytes);
        expect(back).toEqual(h);
        expect(encodeBlockHeader(back)).toEqual(bytes);
        expect(blockHash(back)).toEqual(blockHash(h));
      }),
    );
    fc.assert(
      fc.property(certificateArb, (c) => {
        const bytes = encodeCertificate(c);
        expect(decodeCertificate(bytes)).toEqual(c);
      }),
    );
    fc.assert(
      fc.property(blockArb, (b) => {
        const bytes = encodeBlock(b);
        const back = decodeBlock(bytes);
        expect(back).toEqual(b);
        expect(encodeBlock(back)).toEqual(bytes);
      }),
      { numRuns: 50 },
    );
  });

  it('lays the header out as documented', () => {
    const h = header();
    const bytes = encodeBlockHeader(h);
    const view = new DataView(bytes.buffer);
    expect(view.getUint32(0, true)).toBe(CHAIN_ID);
    expect(view.getBigUint64(4, true)).toBe(7n);
    expect(view.getBigUint64(12, true)).toBe(9n);
    expect(bytes.subarray(20, 52)).toEqual(filled(32, 0xaa));
    expect(view.getBigUint64(52, true)).toBe(1_750_000_000_123n);
    expect(bytes[60]).toBe(0); // fast
    expect(view.getUint32(61, true)).toBe(3);
    expect(bytes.subarray(65, 97)).toEqual(h.txRoot);
    expect(bytes.subarray(161, 193)).toEqual(committeeKeys[0]);
    expect(new Uint8Array(blockHash(h))).toEqual(new Uint8Array(createHash('sha256').update(bytes).digest()));
    expect(encodeBlockHeader({ ...h, kind: 'heartbeat' })[60]).toBe(2);
  });

  it('refuses values a field cannot hold when encoding', () => {
    expect(() => encodeBlockHeader(header({ height: 2n ** 64n }))).toThrow(RangeError);
    expect(() => encodeBlockHeader(header({ parentHash: filled(31, 0) }))).toThrow(RangeError);
    expect(() => encodeBlockHeader(header({ kind: 'slow' as BlockKind }))).toThrow(RangeError);
    const signature = signBlock(header(), committee[0]!);
    expect(() =>
      encodeCertificate({
        view: 1n,
        signatures: new Array(BLOCK_LIMITS.maxCertificateSignatures + 1).fill(signature),
      }),
    ).toThrow(RangeError);
  });
});

describe('hostile block bytes', () => {
  const block = certified(header(), TRANSACTIONS.slice(0, 3));
  const bytes = encodeBlock(block);

  it('every truncation is BLOCK_MALFORMED, extra bytes BLOCK_TRAILING_BYTES', () => {
    for (let n = 0; n < bytes.length; n++) {
      expect(codeOf(() => decodeBlock(bytes.subarray(0, n)))).toBe('BLOCK_MALFORMED');
    }
    const longer = new Uint8Array(bytes.length + 1);
    longer.set(bytes);
    expect(codeOf(() => decodeBlock(longer))).toBe('BLOCK_TRAILING_BYTES');
    expect(codeOf(() => decodeBlockHeader(new Uint8Array(BLOCK_HEADER_BYTES + 3)))).toBe(
      'BLOCK_TRAILING_BYTES',
    );
  });

  it('an unknown block kind is BLOCK_NON_CANONICAL', () => {
    for (const tag of [3, 0x80, 0xff]) {
      const bad = bytes.slice();
      bad[60] = tag;
      expect(codeOf(() => decodeBlock(bad))).toBe('BLOCK_NON_CANONICAL');
    }
  });

  it('counts and sizes past the limits are BLOCK_TOO_LARGE, checked before reading on', () => {
    const txCountAt = BLOCK_HEADER_BYTES;
    const tooManyTxs = bytes.slice();
    new DataView(tooManyTxs.buffer).setUint32(txCountAt, BLOCK_LIMITS.maxTransactions + 1, true);
    expect(codeOf(() => decodeBlock(tooManyTxs))).toBe('BLOCK_TOO_LARGE');
    const hugeTx = bytes.slice();
    new DataView(hugeTx.buffer).setUint32(txCountAt + 4, 0xffff_fff0, true); // first tx's length
    expect(codeOf(() => decodeBlock(hugeTx))).toBe('BLOCK_TOO_LARGE');
    const sigCountAt = bytes.length - 3 * 96 - 4;
    const tooManySigs = bytes.slice();
    new DataView(tooManySigs.buffer).setUint32(sigCountAt, BLOCK_LIMITS.maxCertificateSignatures + 1, true);
    expect(codeOf(() => decodeBlock(tooManySigs))).toBe('BLOCK_TOO_LARGE');
    expect(codeOf(() => decodeBlock(new Uint8Array(BLOCK_LIMITS.maxBlockBytes + 1)))).toBe('BLOCK_TOO_LARGE');
  });

  it('an undecodable transaction inside is BLOCK_MALFORMED naming its error', () => {
    const bad = bytes.slice();
    bad[FIRST_TX_BYTE] = 9; // the first transaction's version byte
    try {
      decodeBlock(bad);
      expect.unreachable();
    } catch (e) {
      expect((e as AssetL2Error).code).toBe('BLOCK_MALFORMED');
      expect((e as AssetL2Error).message).toContain('TX_BAD_VERSION');
    }
  });

  it('any input either throws a BLOCK_* error or re-encodes to exactly itself', () => {
    const check = (input: Uint8Array) => {
      try {
        expect(encodeBlock(decodeBlock(input))).toEqual(input);
      } catch (e) {
        expect(e).toBeInstanceOf(AssetL2Error);
        expect((e as AssetL2Error).code).toMatch(/^BLOCK_/);
      }
    };
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), check), { numRuns: 300 });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(bytes.length - 1), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 4,
        }),
        (edits) => {
          const mutated = bytes.slice();
          for (const [at, value] of edits) mutated[at] = value;
          check(mutated);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('transactions root', () => {
  const sha = (...parts: Uint8Array[]) => {
    const h = createHash('sha256');
    for (const p of parts) h.update(p);
    return new Uint8Array(h.digest());
  };
  const leaf = (h: Uint8Array) => sha(Uint8Array.of(0), h);
  const node = (l: Uint8Array, r: Uint8Array) => sha(Uint8Array.of(1), l, r);

  /**
   * Independent definition: RFC 6962's Merkle Tree Hash (split at the largest power of two
   * below n), which gives the same tree as pairing level by level with the odd node promoted.
   */
  function mth(hashes: Uint8Array[]): Uint8Array {
    if (hashes.length === 1) return leaf(hashes[0]!);
    let k = 1;
    while (k * 2 < hashes.length) k *= 2;
    return node(mth(hashes.slice(0, k)), mth(hashes.slice(k)));
  }

  it('is 32 zero bytes for an empty block', () => {
    expect(transactionsRoot([])).toEqual(new Uint8Array(32));
  });

  it('matches hand-expanded trees', () => {
    const h = TRANSACTIONS.slice(0, 5).map((tx) => sha(encodeTransaction(tx)));
    expect(transactionsRoot(TRANSACTIONS.slice(0, 1))).toEqual(leaf(h[0]!));
    expect(transactionsRoot(TRANSACTIONS.slice(0, 2))).toEqual(node(leaf(h[0]!), leaf(h[1]!)));
    expect(transactionsRoot(TRANSACTIONS.slice(0, 3))).toEqual(
      node(node(leaf(h[0]!), leaf(h[1]!)), leaf(h[2]!)),
    );
    expect(transactionsRoot(TRANSACTIONS.slice(0, 5))).toEqual(
      node(node(node(leaf(h[0]!), leaf(h[1]!)), node(leaf(h[2]!), leaf(h[3]!))), leaf(h[4]!)),
    );
  });

  it('matches the RFC 6962 definition for every size up to 40 and is order-sensitive', () => {
    for (let n = 1; n <= 40; n++) {
      const hashes = Array.from({ length: n }, (_, i) => sha(Uint8Array.of(i, n)));
      expect(transactionsRootOfHashes(hashes)).toEqual(mth(hashes));
    }
    const txs = TRANSACTIONS.slice(0, 4);
    expect(transactionsRoot(txs)).toEqual(mth(txs.map((tx) => transactionHash(tx))));
    expect(transactionsRoot([txs[1]!, txs[0]!, txs[2]!, txs[3]!])).not.toEqual(transactionsRoot(txs));
    // The odd node is promoted, never paired with itself: [a, b, c] ≠ [a, b, c, c].
    expect(transactionsRoot(txs.slice(0, 3))).not.toEqual(transactionsRoot([...txs.slice(0, 3), txs[2]!]));
  });
});

describe('certificates', () => {
  const h = header();
  const sign = (keys = committee.slice(0, 3), target = h) => keys.map((k) => signBlock(target, k));
  const cert = (signatures = sign()): Certificate => ({ view: h.view, signatures });

  it('signs signingHash(BLOCK_DOMAIN, chainId, blockHash(header))', () => {
    expect(BLOCK_DOMAIN).toBe('assetl2/block/v1');
    expect(blockSigningHash(h)).toEqual(signingHash(BLOCK_DOMAIN, CHAIN_ID, blockHash(h)));
    const entry = signBlock(h, committee[0]!);
    expect(entry.signer).toEqual(committeeKeys[0]);
    expect(entry.signature).toHaveLength(64);
  });

  it('accepts a quorum or more of distinct members, in any order', () => {
    expect(verifyCertificate(h, cert(), committeeKeys, QUORUM)).toBe(true);
    expect(verifyCertificate(h, cert(sign(committee)), committeeKeys, QUORUM)).toBe(true);
    expect(verifyCertificate(h, cert(sign(committee).reverse()), committeeKeys, QUORUM)).toBe(true);
  });

  it('refuses a count below quorum', () => {
    expect(verifyCertificate(h, cert(sign(committee.slice(0, 2))), committeeKeys, QUORUM)).toBe(false);
    expect(verifyCertificate(h, cert([]), committeeKeys, QUORUM)).toBe(false);
    expect(verifyCertificate(h, cert(), committeeKeys, 4)).toBe(false);
  });

  it('refuses a duplicate signer, even with enough entries', () => {
    const [a, b] = sign(committee.slice(0, 2));
    expect(verifyCertificate(h, cert([a!, b!, a!]), committeeKeys, QUORUM)).toBe(false);
    expect(verifyCertificate(h, cert([a!, b!, b!, ...sign([committee[2]!])]), committeeKeys, QUORUM)).toBe(
      false,
    );
  });

  it('refuses a valid signature by a non-member', () => {
    const outsider = keypairFromSeed(filled(32, 99));
    const signatures = [...sign(committee.slice(0, 2)), signBlock(h, outsider)];
    expect(verifyCertificate(h, cert(signatures), committeeKeys, QUORUM)).toBe(false);
    expect(verifyCertificate(h, cert(signatures), [...committeeKeys, outsider.publicKey], QUORUM)).toBe(true);
  });

  it('refuses signatures over another hash, view or domain', () => {
    const other = header({ height: 8n });
    expect(verifyCertificate(h, cert(sign(committee.slice(0, 3), other)), committeeKeys, QUORUM)).toBe(false);
    const otherChain = header({ chainId: CHAIN_ID + 1 });
    expect(verifyCertificate(h, cert(sign(committee.slice(0, 3), otherChain)), committeeKeys, QUORUM)).toBe(
      false,
    );
    expect(verifyCertificate(h, { view: h.view + 1n, signatures: sign() }, committeeKeys, QUORUM)).toBe(
      false,
    );
    // The same hash under the transaction domain is not a block signature.
    const txDomain = committee.slice(0, 3).map((k) => ({
      signer: k.publicKey,
      signature: ed25519.sign(signingHash(TX_DOMAIN, CHAIN_ID, blockHash(h)), k.secretKey.subarray(0, 32)),
    }));
    expect(verifyCertificate(h, cert(txDomain), committeeKeys, QUORUM)).toBe(false);
    const flipped = sign().map((e) => ({
      ...e,
      signature: e.signature.map((b, i) => (i === 0 ? b ^ 1 : b)),
    }));
    expect(verifyCertificate(h, cert(flipped), committeeKeys, QUORUM)).toBe(false);
    const tampered = sign();
    tampered[1] = { signer: tampered[1]!.signer, signature: tampered[0]!.signature };
    expect(verifyCertificate(h, cert(tampered), committeeKeys, QUORUM)).toBe(false);
  });

  it('never throws on hostile certificates; a bad quorum is a RangeError', () => {
    const junk = [
      { view: h.view, signatures: [{ signer: filled(31, 1), signature: filled(64, 0) }] },
      { view: h.view, signatures: [{ signer: committeeKeys[0]!, signature: filled(12, 0) }] },
      { view: h.view, signatures: new Array(65).fill(signBlock(h, committee[0]!)) },
      { view: h.view, signatures: null },
    ] as unknown as Certificate[];
    for (const c of junk) expect(verifyCertificate(h, c, committeeKeys, 1)).toBe(false);
    expect(verifyCertificate(header({ height: -1n }), cert(), committeeKeys, QUORUM)).toBe(false);
    expect(() => verifyCertificate(h, cert(), committeeKeys, 0)).toThrow(RangeError);
    expect(() => verifyCertificate(h, cert(), committeeKeys, 1.5)).toThrow(RangeError);
  });
});

describe('checkBlock', () => {
  it('accepts a consistent certified block and names what is wrong otherwise', () => {
    const txs = TRANSACTIONS.slice(0, 4);
    const good = certified(header({}, txs), txs);
    expect(() => checkBlock(good, committeeKeys, QUORUM)).not.toThrow();
    expect(codeOf(() => checkBlock({ ...good, transactions: txs.slice(0, 3) }, committeeKeys, QUORUM))).toBe(
      'BLOCK_TX_MISMATCH',
    );
    const swapped = [txs[1]!, txs[0]!, txs[2]!, txs[3]!];
    expect(codeOf(() => checkBlockBody(good.header, swapped))).toBe('BLOCK_TX_MISMATCH');
    const underSigned = certified(good.header, txs, committee.slice(0, 2));
    expect(codeOf(() => checkBlock(underSigned, committeeKeys, QUORUM))).toBe('BLOCK_BAD_CERTIFICATE');
  });

  it('gives CurveVM its execution view', () => {
    const txs = TRANSACTIONS.slice(0, 2);
    const b = certified(header({}, txs), txs);
    expect(executionBlock(b)).toEqual({ height: 7n, timestamp: 1_750_000_000_123n, transactions: txs });
  });
});
