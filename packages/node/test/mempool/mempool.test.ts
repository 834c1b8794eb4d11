import {
  AssetL2Error,
  computeUnits,
  decodeTransaction,
  type ErrorCode,
  OPERATION_TAG_OFFSET,
  TX_LIMITS,
  transactionId,
} from '@assetl2/sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  Mempool,
  type MempoolOptions,
  type MempoolStore,
  SignatureVerifierPool,
  type StoredMempoolEntry,
} from '../../src/mempool/index.ts';
import {
  CHAIN_ID,
  type DurableStore,
  keypair,
  nonceBook,
  openDurableStore,
  signedTx,
  tempDir,
} from './helpers.ts';

const verifier = new SignatureVerifierPool({ chainId: CHAIN_ID, threads: 2 });
beforeAll(() => verifier.start());
afterAll(() => verifier.stop());

const T0 = 1_760_000_000_000;
const DAY = 24 * 60 * 60 * 1000;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Setup {
  readonly mempool: Mempool;
  readonly store: DurableStore;
  readonly path: string;
  readonly nonces: ReturnType<typeof nonceBook>;
  readonly clock: { now: number };
  /** Stops, closes the store, and opens both again on the same directory (a process restart). */
  restart(overrides?: Partial<MempoolOptions>): Promise<{ mempool: Mempool; store: DurableStore }>;
}

async function setup(overrides: Partial<MempoolOptions> = {}, path = tempDir()): Promise<Setup> {
  const store = openDurableStore(path);
  const nonces = nonceBook();
  const clock = { now: T0 };
  const options = (store: MempoolStore): MempoolOptions => ({
    chainId: CHAIN_ID,
    store,
    verifier,
    nonceOf: nonces.nonceOf,
    now: () => clock.now,
    pruneIntervalMs: 0,
    ...overrides,
  });
  const mempool = new Mempool(options(store));
  await mempool.start();
  let current = { mempool, store };
  cleanups.push(async () => {
    await mempool.stop();
    await store.close();
  });
  return {
    mempool,
    store,
    path,
    nonces,
    clock,
    async restart(more = {}) {
      await current.mempool.stop();
      await current.store.close();
      const reopened = openDurableStore(path);
      const next = new Mempool({ ...options(reopened), ...more });
      await next.start();
      cleanups.push(async () => {
        await next.stop();
        await reopened.close();
      });
      current = { mempool: next, store: reopened };
      return current;
    },
  };
}

async function codeOf(promise: Promise<unknown>): Promise<ErrorCode | 'accepted'> {
  try {
    await promise;
    return 'accepted';
  } catch (e) {
    if (e instanceof AssetL2Error) return e.code;
    throw e;
  }
}

const idOf = (bytes: Uint8Array) => transactionId(decodeTransaction(bytes));
const storedIds = (store: MempoolStore) => new Set(store.loadAll().map((e) => e.txId));
const fastSize = signedTx(keypair(0), 0).length;

describe('admission', () => {
  it('accepts a valid transaction only once it is in the store; fast and big pools by kind', async () => {
    const { mempool, store } = await setup();
    const fast = signedTx(keypair(1), 0);
    const big = signedTx(keypair(1), 1, { kind: 'big' });
    const a = await mempool.submit(fast);
    expect(a).toEqual({ txId: idOf(fast), kind: 'fast' });
    expect(storedIds(store).has(a.txId)).toBe(true);
    const b = await mempool.submit(big);
    expect(b).toEqual({ txId: idOf(big), kind: 'big' });
    expect(mempool.pending(a.txId)).toBe(true);
    expect(mempool.pending(b.txId)).toBe(true);
    expect(mempool.get(b.txId)?.bytes).toEqual(big);
    expect(mempool.sizes()).toEqual({
      fast: { count: 1, bytes: fast.length },
      big: { count: 1, bytes: big.length },
    });
  });

  it('rejects undecodable and oversized input with the decoder codes', async () => {
    const { mempool } = await setup();
    const good = signedTx(keypair(1), 0);
    const withByte = (offset: number, value: number) => {
      const copy = good.slice();
      copy[offset] = value;
      return copy;
    };
    expect(await codeOf(mempool.submit(new Uint8Array(TX_LIMITS.maxTransactionBytes + 1)))).toBe(
      'TX_TOO_LARGE',
    );
    expect(await codeOf(mempool.submit(good.subarray(0, 30)))).toBe('TX_MALFORMED');
    expect(await codeOf(mempool.submit(new Uint8Array(0)))).toBe('TX_MALFORMED');
    expect(await codeOf(mempool.submit(withByte(0, 9)))).toBe('TX_BAD_VERSION');
    expect(await codeOf(mempool.submit(withByte(OPERATION_TAG_OFFSET, 0xee)))).toBe('TX_UNKNOWN_OP');
    expect(await codeOf(mempool.submit(withByte(OPERATION_TAG_OFFSET - 1, 7)))).toBe('TX_NON_CANONICAL');
    expect(await codeOf(mempool.submit(Uint8Array.of(...good, 1)))).toBe('TX_TRAILING_BYTES');
    expect(mempool.sizes().fast.count).toBe(0);
  });

  it('rejects a wrong chain and a bad signature (checked on the verifier threads)', async () => {
    const { mempool } = await setup();
    const before = verifier.stats().verified;
    const forged = signedTx(keypair(1), 0);
    forged[forged.length - 1]! ^= 0x01;
    expect(await codeOf(mempool.submit(forged))).toBe('TX_BAD_SIGNATURE');
    // Signed by another key than the sender's.
    const impostor = signedTx(keypair(2), 0);
    const claimed = signedTx(keypair(1), 0);
    claimed.set(impostor.subarray(impostor.length - 64), claimed.length - 64);
    expect(await codeOf(mempool.submit(claimed))).toBe('TX_BAD_SIGNATURE');
    expect(await codeOf(mempool.submit(signedTx(keypair(1), 0, { chainId: 7 })))).toBe('TX_WRONG_CHAIN');
    expect(verifier.stats().verified - before).toBe(2); // the wrong chain never reached a thread
    expect(await codeOf(mempool.submit(signedTx(keypair(1), 0)))).toBe('accepted');
  });

  it('nonce window: the account nonce through exactly 8 beyond it; below or 9 beyond rejected', async () => {
    const { mempool, nonces } = await setup();
    const sender = keypair(3);
    nonces.set(sender, 5n);
    expect(await codeOf(mempool.submit(signedTx(sender, 4)))).toBe('MEMPOOL_NONCE_TOO_LOW');
    expect(await codeOf(mempool.submit(signedTx(sender, 14)))).toBe('MEMPOOL_NONCE_TOO_FAR');
    const window = await Promise.all(
      [5, 6, 7, 8, 9, 10, 11, 12, 13].map((n) => codeOf(mempool.submit(signedTx(sender, n)))),
    );
    expect(window).toEqual(Array(9).fill('accepted'));
    expect(await codeOf(mempool.submit(signedTx(sender, 14)))).toBe('MEMPOOL_NONCE_TOO_FAR');
    // The window follows the committed nonce.
    nonces.set(sender, 6n);
    expect(await codeOf(mempool.submit(signedTx(sender, 14)))).toBe('accepted');
    expect(await codeOf(mempool.submit(signedTx(sender, 15)))).toBe('MEMPOOL_NONCE_TOO_FAR');
  });

  it('dedup by hash: again later, or concurrently (one accepted; copies of a forgery share its verdict)', async () => {
    const { mempool } = await setup();
    const tx = signedTx(keypair(4), 0);
    expect(await codeOf(mempool.submit(tx))).toBe('accepted');
    expect(await codeOf(mempool.submit(tx))).toBe('MEMPOOL_DUPLICATE');
    expect(await codeOf(mempool.submit(tx.slice()))).toBe('MEMPOOL_DUPLICATE');

    const other = signedTx(keypair(4), 1);
    const copies = await Promise.all([0, 1, 2].map(() => codeOf(mempool.submit(other.slice()))));
    expect(copies.sort()).toEqual(['MEMPOOL_DUPLICATE', 'MEMPOOL_DUPLICATE', 'accepted']);

    const forged = signedTx(keypair(4), 2);
    forged[forged.length - 5]! ^= 0x80;
    const forgedCopies = await Promise.all([0, 1].map(() => codeOf(mempool.submit(forged.slice()))));
    expect(forgedCopies).toEqual(['TX_BAD_SIGNATURE', 'TX_BAD_SIGNATURE']);
  });

  it('same sender and nonce, different transaction: the first seen stays (MEMPOOL_NONCE_CONFLICT)', async () => {
    const { mempool } = await setup();
    const sender = keypair(5);
    const first = signedTx(sender, 0, { amount: 1n });
    expect(await codeOf(mempool.submit(first))).toBe('accepted');
    expect(await codeOf(mempool.submit(signedTx(sender, 0, { amount: 2n })))).toBe('MEMPOOL_NONCE_CONFLICT');
    expect(await codeOf(mempool.submit(signedTx(sender, 0, { kind: 'big' })))).toBe('MEMPOOL_NONCE_CONFLICT');
    expect(mempool.pending(idOf(first))).toBe(true);
    // Concurrently, the one submitted first wins.
    const [a, b] = await Promise.all([
      codeOf(mempool.submit(signedTx(sender, 1, { amount: 1n }))),
      codeOf(mempool.submit(signedTx(sender, 1, { amount: 2n }))),
    ]);
    expect([a, b]).toEqual(['accepted', 'MEMPOOL_NONCE_CONFLICT']);
  });

  it('MEMPOOL_TOO_LARGE: more compute than a block of its kind holds', async () => {
    const big = signedTx(keypair(6), 0, { kind: 'big' });
    const units = computeUnits(decodeTransaction(big));
    const { mempool } = await setup({ limits: { big: { maxTransactionCompute: units - 1 } } });
    expect(await codeOf(mempool.submit(big))).toBe('MEMPOOL_TOO_LARGE');
    expect(await codeOf(mempool.submit(signedTx(keypair(6), 0)))).toBe('accepted');
  });

  for (const kind of ['fast', 'big'] as const) {
    it(`${kind} pool: per-sender bounds, count and bytes (MEMPOOL_SENDER_FULL), other senders and pool unaffected`, async () => {
      const other = kind === 'fast' ? 'big' : 'fast';
      const size = signedTx(keypair(0), 0, { kind }).length;
      const byCount = await setup({ limits: { [kind]: { perSenderCount: 3 } } });
      const a = keypair(10);
      for (const n of [0, 1, 2])
        expect(await codeOf(byCount.mempool.submit(signedTx(a, n, { kind })))).toBe('accepted');
      expect(await codeOf(byCount.mempool.submit(signedTx(a, 3, { kind })))).toBe('MEMPOOL_SENDER_FULL');
      expect(await codeOf(byCount.mempool.submit(signedTx(a, 3, { kind: other })))).toBe('accepted');
      expect(await codeOf(byCount.mempool.submit(signedTx(keypair(11), 0, { kind })))).toBe('accepted');

      const byBytes = await setup({ limits: { [kind]: { perSenderBytes: Math.floor(size * 2.5) } } });
      for (const n of [0, 1])
        expect(await codeOf(byBytes.mempool.submit(signedTx(a, n, { kind })))).toBe('accepted');
      expect(await codeOf(byBytes.mempool.submit(signedTx(a, 2, { kind })))).toBe('MEMPOOL_SENDER_FULL');
      expect(await codeOf(byBytes.mempool.submit(signedTx(keypair(11), 0, { kind })))).toBe('accepted');
      expect(byBytes.mempool.stats().rejected.MEMPOOL_SENDER_FULL).toBe(1);
    });

    it(`${kind} pool: total bounds, count and bytes (MEMPOOL_FULL); the other pool still admits`, async () => {
      const other = kind === 'fast' ? 'big' : 'fast';
      const size = signedTx(keypair(0), 0, { kind }).length;
      const byCount = await setup({ limits: { [kind]: { maxCount: 4 } } });
      for (const s of [20, 21, 22, 23]) {
        expect(await codeOf(byCount.mempool.submit(signedTx(keypair(s), 0, { kind })))).toBe('accepted');
      }
      expect(await codeOf(byCount.mempool.submit(signedTx(keypair(24), 0, { kind })))).toBe('MEMPOOL_FULL');
      expect(await codeOf(byCount.mempool.submit(signedTx(keypair(24), 0, { kind: other })))).toBe(
        'accepted',
      );
      expect(byCount.mempool.sizes()[kind]).toEqual({ count: 4, bytes: 4 * size });

      const byBytes = await setup({ limits: { [kind]: { maxBytes: size * 3 } } });
      for (const s of [20, 21, 22]) {
        expect(await codeOf(byBytes.mempool.submit(signedTx(keypair(s), 0, { kind })))).toBe('accepted');
      }
      expect(await codeOf(byBytes.mempool.submit(signedTx(keypair(23), 0, { kind })))).toBe('MEMPOOL_FULL');
      // Room comes back when transactions leave.
      byBytes.mempool.remove([idOf(signedTx(keypair(20), 0, { kind }))]);
      expect(await codeOf(byBytes.mempool.submit(signedTx(keypair(23), 0, { kind })))).toBe('accepted');
    });
  }

  it('MEMPOOL_STOPPED before start and after stop; admissions under way when stop() is called finish', async () => {
    const path = tempDir();
    const store = openDurableStore(path);
    cleanups.push(() => store.close());
    const mempool = new Mempool({
      chainId: CHAIN_ID,
      store,
      verifier,
      nonceOf: () => 0n,
      pruneIntervalMs: 0,
    });
    expect(await codeOf(mempool.submit(signedTx(keypair(30), 0)))).toBe('MEMPOOL_STOPPED');
    await mempool.start();
    const underway = Array.from({ length: 50 }, (_, i) =>
      mempool.submit(signedTx(keypair(31 + (i % 10)), Math.floor(i / 10))),
    );
    await mempool.stop();
    const results = await Promise.all(underway);
    expect(results).toHaveLength(50);
    expect(await codeOf(mempool.submit(signedTx(keypair(30), 0)))).toBe('MEMPOOL_STOPPED');
    expect(storedIds(store).size).toBe(50);
    await mempool.start();
    expect(results.every((r) => mempool.pending(r.txId))).toBe(true);
    await mempool.stop();
  });

  it('MEMPOOL_UNAVAILABLE when the store fails: not pending, not counted', async () => {
    const path = tempDir();
    const lmdb = openDurableStore(path);
    let failing = true;
    const store: MempoolStore = {
      put: (entries) => (failing ? Promise.reject(new Error('disk full')) : lmdb.put(entries)),
      delete: (ids) => lmdb.delete(ids),
      loadAll: () => lmdb.loadAll(),
    };
    const mempool = new Mempool({
      chainId: CHAIN_ID,
      store,
      verifier,
      nonceOf: () => 0n,
      pruneIntervalMs: 0,
    });
    await mempool.start();
    cleanups.push(async () => {
      await mempool.stop();
      await lmdb.close();
    });
    const tx = signedTx(keypair(40), 0);
    expect(await codeOf(mempool.submit(tx))).toBe('MEMPOOL_UNAVAILABLE');
    expect(mempool.pending(idOf(tx))).toBe(false);
    expect(mempool.sizes().fast).toEqual({ count: 0, bytes: 0 });
    failing = false;
    expect(await codeOf(mempool.submit(tx))).toBe('accepted');
  });

  it('counts rejections by code for metrics', async () => {
    const { mempool } = await setup();
    const tx = signedTx(keypair(50), 0);
    await mempool.submit(tx);
    await codeOf(mempool.submit(tx));
    await codeOf(mempool.submit(tx));
    await codeOf(mempool.submit(signedTx(keypair(50), 20)));
    const stats = mempool.stats();
    expect(stats.admitted).toBe(1);
    expect(stats.rejected).toEqual({ MEMPOOL_DUPLICATE: 2, MEMPOOL_NONCE_TOO_FAR: 1 });
  });
});

describe('durability', () => {
  it('group-commits concurrent admissions; each resolves only after its put is durable', async () => {
    const path = tempDir();
    const lmdb = openDurableStore(path);
    const durable = new Set<string>();
    const store: MempoolStore = {
      async put(entries: readonly StoredMempoolEntry[]) {
        await lmdb.put(entries);
        for (const e of entries) durable.add(e.txId);
      },
      delete: (ids) => lmdb.delete(ids),
      loadAll: () => lmdb.loadAll(),
    };
    const mempool = new Mempool({
      chainId: CHAIN_ID,
      store,
      verifier,
      nonceOf: () => 0n,
      pruneIntervalMs: 0,
    });
    await mempool.start();
    cleanups.push(async () => {
      await mempool.stop();
      await lmdb.close();
    });
    const txs = Array.from({ length: 400 }, (_, i) => signedTx(keypair(100 + (i % 50)), Math.floor(i / 50)));
    const early: string[] = [];
    await Promise.all(
      txs.map((tx) =>
        mempool.submit(tx).then(({ txId }) => {
          if (!durable.has(txId)) early.push(txId);
        }),
      ),
    );
    expect(early).toEqual([]);
    const { store: writes } = mempool.stats();
    expect(writes.putEntries).toBe(400);
    expect(writes.puts).toBeLessThan(40); // ~10+ admissions per synced commit
    expect(storedIds(lmdb).size).toBe(400);
  });

  it('restart: reloads pending entries in their order; drops stale, expired and corrupt ones', async () => {
    const s = await setup();
    const a = keypair(60);
    const b = keypair(61);
    const submitted: string[] = [];
    s.clock.now = T0;
    submitted.push((await s.mempool.submit(signedTx(a, 0))).txId);
    s.clock.now = T0 + 1000;
    for (const tx of [signedTx(b, 0), signedTx(b, 1), signedTx(a, 1), signedTx(a, 2, { kind: 'big' })]) {
      submitted.push((await s.mempool.submit(tx)).txId);
    }
    const order = (m: Mempool) =>
      m
        .select({ kind: 'fast', maxCount: 100, maxBytes: 1e9, maxCompute: 1e12, nonceOf: () => 0n })
        .map(transactionId);
    const before = order(s.mempool);
    // A stored entry that does not decode, one filed under another transaction's id.
    await s.store.put([
      { txId: idOf(signedTx(keypair(62), 0)), bytes: Uint8Array.of(1, 2, 3), admittedAt: T0 },
      { txId: idOf(signedTx(keypair(62), 1)), bytes: signedTx(keypair(62), 2), admittedAt: T0 },
    ]);

    const { mempool: same } = await s.restart();
    expect(submitted.every((id) => same.pending(id))).toBe(true);
    expect(order(same)).toEqual(before);
    expect(same.stats()).toMatchObject({ reloaded: 5, droppedInvalid: 2, stale: 0, expired: 0 });

    // b's nonce 0 was committed meanwhile; a's first transaction passes the TTL.
    s.nonces.set(b, 1n);
    s.clock.now = T0 + DAY + 1;
    const { mempool: later, store } = await s.restart();
    expect(later.stats()).toMatchObject({ reloaded: 3, stale: 1, expired: 1 });
    expect(later.pending(submitted[0]!)).toBe(false);
    expect(later.pending(submitted[1]!)).toBe(false);
    expect(later.sizes()).toMatchObject({ fast: { count: 2 }, big: { count: 1 } });
    await later.flush();
    expect(storedIds(store)).toEqual(new Set(submitted.slice(2)));
  });
});

describe('TTL', () => {
  it('prune(now) drops entries older than the TTL (24 h by default), from memory and store', async () => {
    const { mempool, store, clock } = await setup();
    const old = (await mempool.submit(signedTx(keypair(70), 0))).txId;
    clock.now = T0 + 60_000;
    const young = (await mempool.submit(signedTx(keypair(71), 0))).txId;
    expect(mempool.prune(T0 + DAY)).toBe(0); // exactly 24 h old: kept
    expect(mempool.prune(T0 + DAY + 1)).toBe(1);
    expect(mempool.pending(old)).toBe(false);
    expect(mempool.pending(young)).toBe(true);
    await mempool.flush();
    expect(storedIds(store)).toEqual(new Set([young]));
    expect(mempool.stats().expired).toBe(1);
  });

  it('prunes on a timer while started (configurable TTL)', async () => {
    const { mempool, clock } = await setup({ ttlMs: 5_000, pruneIntervalMs: 10 });
    const { txId } = await mempool.submit(signedTx(keypair(72), 0));
    clock.now = T0 + 5_001;
    await vi.waitFor(() => expect(mempool.pending(txId)).toBe(false), { timeout: 2_000, interval: 10 });
  });
});

describe('block building', () => {
  const everything = { maxCount: 10_000, maxBytes: 1e9, maxCompute: 1e12 };

  it('select keeps the pools apart and returns only runnable runs of consecutive nonces', async () => {
    const { mempool, nonces } = await setup();
    const a = keypair(80);
    const b = keypair(81);
    const c = keypair(82);
    // a: fast 0, 1, big 2, fast 3 (3 waits for the big one); b: fast 1 only (0 missing); c: big 0.
    for (const [kp, n, kind] of [
      [a, 0, 'fast'],
      [a, 1, 'fast'],
      [a, 2, 'big'],
      [a, 3, 'fast'],
      [b, 1, 'fast'],
      [c, 0, 'big'],
    ] as const) {
      await mempool.submit(signedTx(kp, n, { kind }));
    }
    const pick = (kind: 'fast' | 'big') =>
      mempool
        .select({ kind, ...everything, nonceOf: nonces.nonceOf })
        .map(
          (tx) =>
            `${Buffer.from(tx.sender).equals(a.publicKey) ? 'a' : Buffer.from(tx.sender).equals(b.publicKey) ? 'b' : 'c'}${tx.nonce}`,
        );
    expect(pick('fast')).toEqual(['a0', 'a1']);
    expect(pick('big')).toEqual(['c0']);
    // Once a's 0 and 1 are committed, its big 2 runs, and after it the fast 3.
    nonces.set(a, 2n);
    expect(pick('big')).toEqual(['a2', 'c0']);
    nonces.set(a, 3n);
    expect(pick('fast')).toEqual(['a3']);
  });

  it('is fair across senders: one transaction each per round, by arrival', async () => {
    const { mempool } = await setup();
    const names = new Map<string, string>();
    const submit = async (name: string, n: number) => {
      const kp = keypair(90 + name.charCodeAt(0));
      names.set(Buffer.from(kp.publicKey).toString('hex'), name);
      await mempool.submit(signedTx(kp, n));
    };
    for (const n of [0, 1, 2, 3]) await submit('A', n);
    for (const n of [0, 1]) await submit('B', n);
    await submit('C', 0);
    const order = mempool
      .select({ kind: 'fast', ...everything, nonceOf: () => 0n })
      .map((tx) => `${names.get(Buffer.from(tx.sender).toString('hex'))}${tx.nonce}`);
    expect(order).toEqual(['A0', 'B0', 'C0', 'A1', 'B1', 'A2', 'A3']);
  });

  it('stops at every bound: count, bytes, compute; a sender whose next one does not fit is done', async () => {
    const { mempool } = await setup();
    for (let s = 0; s < 5; s++)
      for (let n = 0; n < 3; n++) await mempool.submit(signedTx(keypair(200 + s), n));
    const units = computeUnits(decodeTransaction(signedTx(keypair(0), 0)));
    const select = (bounds: Partial<typeof everything>) =>
      mempool.select({ kind: 'fast', ...everything, ...bounds, nonceOf: () => 0n });
    const all = select({});
    expect(all).toHaveLength(15);
    expect(select({ maxCount: 7 })).toEqual(all.slice(0, 7));
    expect(select({ maxBytes: fastSize * 6 + fastSize - 1 })).toEqual(all.slice(0, 6));
    expect(select({ maxCompute: units * 4 })).toEqual(all.slice(0, 4));
    expect(select({ maxCount: 0 })).toEqual([]);

    // A big transaction that does not fit ends its sender's run, not the selection.
    const big = await setup();
    const large = keypair(300);
    const small = keypair(301);
    await big.mempool.submit(signedTx(large, 0, { kind: 'big', templateBytes: 2000 }));
    await big.mempool.submit(signedTx(small, 0, { kind: 'big', templateBytes: 100 }));
    await big.mempool.submit(signedTx(small, 1, { kind: 'big', templateBytes: 100 }));
    const picked = big.mempool.select({
      kind: 'big',
      maxCount: 10,
      maxBytes: 1000,
      maxCompute: 1e12,
      nonceOf: () => 0n,
    });
    expect(picked.map((tx) => Buffer.from(tx.sender).equals(small.publicKey))).toEqual([true, true]);
  });

  it('is deterministic: same submissions, same order, in another mempool too', async () => {
    const txs = [] as Uint8Array[];
    for (let n = 0; n < 4; n++)
      for (let s = 0; s < 6; s++) txs.push(signedTx(keypair(400 + ((s * 7) % 6)), n));
    const orders: string[][] = [];
    for (let run = 0; run < 2; run++) {
      const { mempool } = await setup();
      for (const tx of txs) await mempool.submit(tx);
      const select = () =>
        mempool
          .select({ kind: 'fast', maxCount: 17, maxBytes: 1e9, maxCompute: 1e12, nonceOf: () => 0n })
          .map(transactionId);
      expect(select()).toEqual(select());
      orders.push(select());
    }
    expect(orders[1]).toEqual(orders[0]);
  });

  it('remove(txIds) after commit; onCommitted drops entries the account nonce passed', async () => {
    const { mempool, store, nonces } = await setup();
    const a = keypair(500);
    const b = keypair(501);
    const ids = [];
    for (const n of [0, 1, 2]) ids.push((await mempool.submit(signedTx(a, n))).txId);
    const bId = (await mempool.submit(signedTx(b, 0))).txId;
    const bounds = {
      kind: 'fast',
      maxCount: 2,
      maxBytes: 1e9,
      maxCompute: 1e12,
      nonceOf: nonces.nonceOf,
    } as const;
    const block = mempool.selectPending(bounds);
    expect(block.map((p) => p.transaction)).toEqual(mempool.select(bounds));
    expect(block.map((p) => p.txId)).toEqual(mempool.select(bounds).map(transactionId));
    const blockIds = block.map((p) => p.txId);
    expect(blockIds).toEqual([ids[0], bId]);
    expect(mempool.remove([...blockIds, 'not-pending'])).toBe(2);
    nonces.set(a, 1n);
    nonces.set(b, 1n);
    expect(mempool.pending(ids[0]!)).toBe(false);
    // Another validator's block committed a's nonces 1 and 2 with other transactions.
    nonces.set(a, 3n);
    expect(mempool.onCommitted(nonces.nonceOf, [a.publicKey])).toBe(2);
    expect(mempool.sizes().fast).toEqual({ count: 0, bytes: 0 });
    await mempool.flush();
    expect(storedIds(store).size).toBe(0);
    expect(mempool.stats()).toMatchObject({ removed: 2, stale: 2 });
  });
});
