import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Mempool, SignatureVerifierPool } from '../../src/mempool/index.ts';
import { CHAIN_ID, openDurableStore, tempDir } from './helpers.ts';

const child = fileURLToPath(new URL('./fixtures/admit-stream.ts', import.meta.url));
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

interface Run {
  readonly printed: string[];
  readonly killedAfter: number;
  readonly finished: boolean;
}

/** Runs the child and SIGKILLs it once it has printed `killAfter` accepted txIds. */
function admitThenKill(path: string, killAfter: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', tsx, child, path, '600'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buffered = '';
    let stderr = '';
    const printed: string[] = [];
    let killedAfter = -1;
    let finished = false;
    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop()!; // an unfinished line is not a promise made
      for (const line of lines) {
        if (line === 'ready') continue;
        if (line === 'done') finished = true;
        else printed.push(line);
      }
      if (killedAfter < 0 && (printed.length >= killAfter || finished)) {
        killedAfter = printed.length;
        proc.kill('SIGKILL');
      }
    });
    proc.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    proc.on('error', reject);
    proc.on('close', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`the child exited (${code}) before the kill: ${stderr}`));
      else resolve({ printed, killedAfter, finished });
    });
  });
}

describe('crash safety', () => {
  const verifier = new SignatureVerifierPool({ chainId: CHAIN_ID, threads: 1 });
  beforeAll(() => verifier.start());
  afterAll(() => verifier.stop());

  // Two runs, each killed at a random point of the stream (600 senders × 9 nonces = 5,400).
  for (const round of [1, 2]) {
    it(`kill -9 while admitting loses no accepted transaction (run ${round})`, async () => {
      const path = tempDir();
      const killAfter = 1 + Math.floor(Math.random() * 4_000);
      const run = await admitThenKill(path, killAfter);
      expect(run.printed.length, `killed after ${killAfter} (seen ${run.killedAfter})`).toBeGreaterThan(0);

      const store = openDurableStore(path);
      const mempool = new Mempool({
        chainId: CHAIN_ID,
        store,
        verifier,
        nonceOf: () => 0n,
        pruneIntervalMs: 0,
      });
      await mempool.start();
      try {
        const lost = run.printed.filter((txId) => !mempool.pending(txId));
        expect(lost, `lost after a kill at ${run.killedAfter} printed`).toEqual([]);
        // Admitted-but-not-yet-printed ones may be there too; never fewer than printed.
        expect(mempool.stats().reloaded).toBeGreaterThanOrEqual(run.printed.length);
        expect(mempool.stats().droppedInvalid).toBe(0);
      } finally {
        await mempool.stop();
        await store.close();
      }
    });
  }
});
