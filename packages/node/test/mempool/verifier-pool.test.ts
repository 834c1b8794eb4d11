import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignatureVerifierPool, type VerifyOutcome } from '../../src/mempool/index.ts';
import { CHAIN_ID, keypair, signedTx, tempDir } from './helpers.ts';

const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url);

function badSignature(bytes: Uint8Array): Uint8Array {
  const copy = bytes.slice();
  copy[copy.length - 40]! ^= 0x01;
  return copy;
}

describe('SignatureVerifierPool (real worker threads)', () => {
  const pool = new SignatureVerifierPool({ chainId: CHAIN_ID, threads: 2 });
  beforeAll(() => pool.start());
  afterAll(() => pool.stop());

  it('checks decoding, chain id and signature with the SDK codes', async () => {
    const good = signedTx(keypair(1), 0);
    const outcomes = await pool.verifyBatch([
      good,
      badSignature(good),
      signedTx(keypair(1), 0, { chainId: CHAIN_ID + 1 }),
      good.subarray(0, 20),
      Uint8Array.of(2, ...good.subarray(1)),
      Uint8Array.of(...good, 0),
    ]);
    expect(outcomes.map((o) => (o.ok ? 'ok' : o.code))).toEqual([
      'ok',
      'TX_BAD_SIGNATURE',
      'TX_WRONG_CHAIN',
      'TX_MALFORMED',
      'TX_BAD_VERSION',
      'TX_TRAILING_BYTES',
    ]);
    const failure = outcomes[1] as Extract<VerifyOutcome, { ok: false }>;
    expect(failure.message).toMatch(/signature/);
  });

  it('spreads a burst over both threads in batches, and resolves requests in order', async () => {
    const before = pool.stats();
    const txs = Array.from({ length: 600 }, (_, i) => signedTx(keypair(100 + (i % 50)), i));
    const order: number[] = [];
    const pending: Promise<unknown>[] = [];
    // Singles and batches of 3 interleaved: both kinds of request keep their order.
    for (let i = 0; i < txs.length; ) {
      const first = i;
      if (i % 7 === 0) {
        const request = pool.verifyBatch(txs.slice(i, i + 3)).then((outcomes) => {
          expect(outcomes.every((o) => o.ok)).toBe(true);
          order.push(first);
        });
        pending.push(request);
        i += 3;
      } else {
        const request = pool.verify(txs[i]!).then((outcome) => {
          expect(outcome.ok).toBe(true);
          order.push(first);
        });
        pending.push(request);
        i += 1;
      }
    }
    await Promise.all(pending);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    const after = pool.stats();
    expect(after.verified - before.verified).toBe(600);
    // Fewer messages than transactions: the burst travelled in batches.
    expect(after.batches - before.batches).toBeLessThan(60);
    expect(after.perThread).toHaveLength(2);
    for (const thread of after.perThread) expect(thread.verified).toBeGreaterThan(0);
    expect(after.crashes).toBe(0);
  });

  it('an empty batch resolves (in order) with no outcomes', async () => {
    const [a, b] = await Promise.all([pool.verifyBatch([signedTx(keypair(2), 0)]), pool.verifyBatch([])]);
    expect(a).toHaveLength(1);
    expect(b).toEqual([]);
  });
});

describe('SignatureVerifierPool crashes and lifecycle', () => {
  it('replaces a crashed thread: its batch is retried alone; a poison input fails cleanly', async () => {
    const pool = new SignatureVerifierPool({
      chainId: CHAIN_ID,
      threads: 1,
      workerUrl: fixture('faulty-verifier-worker.ts'),
    });
    await pool.start();
    try {
      const flag = join(tempDir(), 'crashed-once');
      const crashOnce = Uint8Array.of(0xde, 0xaf, ...Buffer.from(flag, 'utf8'));
      const poison = Uint8Array.of(0xde, 0xad);
      const good = Array.from({ length: 5 }, (_, i) => signedTx(keypair(7), i));
      const outcomes = await pool.verifyBatch([good[0]!, crashOnce, good[1]!, poison, good[2]!]);
      expect(outcomes.map((o) => (o.ok ? 'ok' : o.code))).toEqual([
        'ok',
        'TX_BAD_VERSION', // verified normally on its retry (0xde is no transaction version)
        'ok',
        'MEMPOOL_UNAVAILABLE',
        'ok',
      ]);
      const stats = pool.stats();
      // crashOnce killed the first thread (with the whole batch, poison included), then the
      // items went again one by one: crashOnce passed, poison killed a second thread.
      expect(stats.crashes).toBe(2);
      expect(stats.unavailable).toBe(1);
      // The pool keeps working with replacement threads.
      expect((await pool.verify(good[3]!)).ok).toBe(true);
      expect(pool.stats().running).toBe(1);
    } finally {
      await pool.stop();
    }
  });

  it('a batch queued behind the one that crashed a thread is resent without counting an attempt', async () => {
    // One thread, batches of 2: [crashOnce, good] is verified while [poison, good] waits behind it.
    const pool = new SignatureVerifierPool({
      chainId: CHAIN_ID,
      threads: 1,
      maxBatch: 2,
      workerUrl: fixture('faulty-verifier-worker.ts'),
    });
    await pool.start();
    try {
      const crashOnce = Uint8Array.of(0xde, 0xaf, ...Buffer.from(join(tempDir(), 'crashed-once'), 'utf8'));
      const poison = Uint8Array.of(0xde, 0xad);
      const outcomes = await pool.verifyBatch([
        crashOnce,
        signedTx(keypair(8), 0),
        poison,
        signedTx(keypair(8), 1),
      ]);
      expect(outcomes.map((o) => (o.ok ? 'ok' : o.code))).toEqual([
        'TX_BAD_VERSION',
        'ok',
        'MEMPOOL_UNAVAILABLE',
        'ok',
      ]);
      // poison killed two threads of its own (in its batch, then alone): the first crash,
      // while it only waited, did not count against it.
      expect(pool.stats()).toMatchObject({ crashes: 3, unavailable: 1 });
    } finally {
      await pool.stop();
    }
  });

  it('start() fails when a thread cannot start; nothing is left running', async () => {
    const pool = new SignatureVerifierPool({
      chainId: CHAIN_ID,
      threads: 2,
      workerUrl: fixture('broken-verifier-worker.ts'),
    });
    await expect(pool.start()).rejects.toThrow(/cannot start/);
    expect(pool.stats().running).toBe(0);
    await expect(pool.verify(signedTx(keypair(1), 0))).rejects.toMatchObject({ code: 'MEMPOOL_STOPPED' });
  });

  it('stop() while starting: start() rejects, nothing keeps running; stop() twice is one stop', async () => {
    const pool = new SignatureVerifierPool({ chainId: CHAIN_ID, threads: 2 });
    const starting = pool.start();
    const [first, second] = [pool.stop(), pool.stop()];
    await expect(starting).rejects.toThrow();
    await Promise.all([first, second]);
    expect(pool.stats().running).toBe(0);
    await pool.start();
    expect((await pool.verify(signedTx(keypair(1), 0))).ok).toBe(true);
    await Promise.all([pool.stop(), pool.stop()]);
    expect(pool.stats().running).toBe(0);
  });

  it('stop() rejects queued requests with MEMPOOL_STOPPED; the pool can start again', async () => {
    const pool = new SignatureVerifierPool({ chainId: CHAIN_ID, threads: 1 });
    await pool.start();
    const many = pool.verifyBatch(Array.from({ length: 2000 }, (_, i) => signedTx(keypair(3), i)));
    const stopped = pool.stop();
    await expect(many).rejects.toMatchObject({ code: 'MEMPOOL_STOPPED' });
    await stopped;
    await expect(pool.verify(signedTx(keypair(1), 0))).rejects.toMatchObject({ code: 'MEMPOOL_STOPPED' });
    await pool.start();
    expect((await pool.verify(signedTx(keypair(1), 0))).ok).toBe(true);
    await pool.stop();
  });
});
