import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openStorage } from '../../src/storage/index.ts';
import { removeTempDirs, tempDir } from './helpers.ts';

const child = fileURLToPath(new URL('./fixtures/mempool-writer.ts', import.meta.url));
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

afterEach(() => removeTempDirs());

/**
 * Runs the writer and SIGKILLs it a random 0–`windowMs` ms after its first acknowledgement;
 * returns every txId it acknowledged (complete lines only: a cut line is no promise).
 */
function writeThenKill(path: string, windowMs: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', tsx, child, path], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acknowledged: string[] = [];
    let buffered = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) if (line !== 'ready') acknowledged.push(line);
      if (timer === undefined && acknowledged.length > 0) {
        timer = setTimeout(() => proc.kill('SIGKILL'), Math.floor(Math.random() * windowMs));
      }
    });
    proc.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    proc.on('error', reject);
    proc.on('close', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`the writer exited (${code}) before the kill: ${stderr}`));
      else resolve(acknowledged);
    });
  });
}

describe('crash safety of the durable mempool', () => {
  for (const round of [1, 2, 3]) {
    it(`kill -9 at a random moment loses no acknowledged entry (run ${round})`, async () => {
      const path = tempDir();
      const acknowledged = await writeThenKill(path, 1_500);
      expect(acknowledged.length).toBeGreaterThan(0);
      const storage = openStorage({ path });
      try {
        const stored = new Set(storage.mempool.loadAll().map((entry) => entry.txId));
        const lost = acknowledged.filter((txId) => !stored.has(txId));
        expect(lost, `${lost.length} of ${acknowledged.length} acknowledged entries lost`).toEqual([]);
        // The environment is usable after the crash: a write after recovery goes through.
        await storage.mempool.delete(acknowledged.slice(0, 1));
        expect(storage.mempool.has(acknowledged[0]!)).toBe(false);
      } finally {
        await storage.close();
      }
    });
  }
});
