import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** The real CLI in a child process, exactly as a user runs it. */
const root = join(import.meta.dirname, '..', '..', '..');
const bin = join(root, 'packages', 'node', 'bin', 'assetl2.mjs');

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const quoteVector = JSON.parse(
  readFileSync(join(root, 'packages/sdk/src/curve/fixtures/curve-quotes.json'), 'utf8'),
).curves[0] as { script: string; cases: Record<string, string>[] };

describe('assetl2 curve (CLI)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'assetl2-cli-'));

  it('compile --json --out: one JSON object, template.bin and proof.json', () => {
    const out = join(dir, 'rocket');
    const r = run('curve', 'compile', 'examples/rocket.curve', '--json', '--out', out);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(Object.keys(result).sort()).toEqual([
      'diagnostics',
      'obligations',
      'ok',
      'template',
      'templateHash',
    ]);
    expect(result.ok).toBe(true);
    expect(result.templateHash).toMatch(/^[0-9a-f]{64}$/);
    const bytes = readFileSync(join(out, 'template.bin'));
    expect(Buffer.from(result.template, 'base64').equals(bytes)).toBe(true);
    const proof = JSON.parse(readFileSync(join(out, 'proof.json'), 'utf8'));
    expect(proof.templateHash).toBe(result.templateHash);
    expect(proof.allowUnproven).toBe(false);
    expect(typeof proof.solver).toBe('string');
    expect(proof.obligations.length).toBeGreaterThanOrEqual(5);
    for (const o of proof.obligations) {
      expect(o.result).toBe('proved');
      expect(o.smtlib).toContain('(check-sat)');
      expect(typeof o.description).toBe('string');
      expect(typeof o.ms).toBe('number');
    }
    expect(result.obligations).toEqual(
      proof.obligations.map((o: { name: string }) => ({ name: o.name, result: 'proved' })),
    );
  });

  it('check reports errors as file:line:col on stderr, or as JSON, with exit code 1', () => {
    const bad = join(dir, 'bad.curve');
    writeFileSync(bad, 'launch "Bad" symbol BAD\nsupply 1_000 tokens\ncruve linear\nfee 0.125%\n');
    const text = run('curve', 'check', bad);
    expect(text.code).toBe(1);
    expect(text.stdout).toBe('');
    expect(text.stderr).toContain(`${bad}:3:1: error: unknown keyword \`cruve\`; did you mean \`curve\`?`);
    expect(text.stderr).toContain(`${bad}:4:5: error: 0.125% is not a whole number of basis points`);
    expect(text.stderr).not.toMatch(/\n\s+at /);
    const json = run('curve', 'check', bad, '--json');
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.stdout);
    expect(parsed.ok).toBe(false);
    expect(parsed.diagnostics[0]).toEqual({
      line: 3,
      col: 1,
      severity: 'error',
      message: 'unknown keyword `cruve`; did you mean `curve`?',
    });
  });

  it('check fails a script whose proof is refuted, at the obligation line', () => {
    const thin = join(root, 'packages/sdk/test/fixtures/rejections/reserve-floor-not-kept.curve');
    const r = run('curve', 'check', thin, '--json');
    expect(r.code).toBe(1);
    const d = JSON.parse(r.stdout).diagnostics;
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ line: 8, col: 15, severity: 'error' });
    expect(d[0].message).toMatch(/^proof failed: .*reserve_floor/);
  });

  it('quote reproduces an independent vector exactly', () => {
    const script = join(dir, 'vector.curve');
    writeFileSync(script, quoteVector.script);
    const buy = quoteVector.cases.find((c) => c.buyLamports && c.sold !== '0')!;
    const r = run(
      'curve',
      'quote',
      script,
      '--sold',
      buy.sold!,
      '--buy-lamports',
      buy.buyLamports!,
      '--json',
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      tokens: buy.tokens,
      net: buy.net,
      fee: buy.fee,
      total: buy.total,
    });
    const sell = quoteVector.cases.find((c) => c.sellTokens)!;
    const s = run(
      'curve',
      'quote',
      script,
      '--sold',
      sell.sold!,
      '--sell-tokens',
      sell.sellTokens!,
      '--json',
    );
    expect(JSON.parse(s.stdout)).toEqual({
      tokens: sell.tokens,
      gross: sell.gross,
      fee: sell.fee,
      out: sell.out,
    });
  });

  it('quote: impossible trades exit 1 with their error code name', () => {
    const tooMany = run('curve', 'quote', 'examples/rocket.curve', '--buy-tokens', '793100000000001');
    expect(tooMany.code).toBe(1);
    expect(tooMany.stderr).toMatch(/^error: EXCEEDS_FOR_SALE: /);
    const notHeld = run(
      'curve',
      'quote',
      'examples/rocket.curve',
      '--sold',
      '5',
      '--sell-tokens',
      '6',
      '--json',
    );
    expect(notHeld.code).toBe(1);
    expect(JSON.parse(notHeld.stdout)).toMatchObject({ ok: false, code: 'EXCEEDS_SOLD' });
    expect(run('curve', 'quote', 'examples/rocket.curve', '--buy-tokens', '0').stderr).toMatch(/ZERO_AMOUNT/);
    expect(run('curve', 'quote', 'examples/rocket.curve', '--buy-lamports', '0').stderr).toMatch(
      /ZERO_AMOUNT/,
    );
    const notANumber = run('curve', 'quote', 'examples/rocket.curve', '--buy-tokens', '1.5');
    expect(notANumber.code).toBe(1);
    expect(notANumber.stderr).toMatch(/INVALID_AMOUNT/);
    const twoTrades = run(
      'curve',
      'quote',
      'examples/rocket.curve',
      '--buy-tokens',
      '1',
      '--sell-tokens',
      '1',
    );
    expect(twoTrades.code).toBe(1);
    expect(twoTrades.stderr).toMatch(/exactly one of/);
  });

  it('user mistakes never show a stack trace', () => {
    const missing = run('curve', 'compile', 'examples/missing.curve');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('error: cannot read examples/missing.curve: no such file\n');
    const unknown = run('curve', 'frobnicate');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).not.toMatch(/\n\s+at /);
  });
});
