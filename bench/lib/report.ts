/**
 * The one way benches report: a markdown table on stdout (pasteable into PRs and docs) and the
 * same rows as JSON in bench/results/<name>.json, with enough of the machine to compare runs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Cell = string | number | bigint | boolean | null;
export type Row = Readonly<Record<string, Cell>>;

export interface BenchReport {
  /** File name stem: bench/results/<name>.json. */
  readonly name: string;
  readonly title?: string;
  /** Column order; defaults to the keys of the first row. */
  readonly columns?: readonly string[];
  readonly rows: readonly Row[];
  /** Anything else worth keeping with the numbers (parameters, sample sizes). */
  readonly meta?: Readonly<Record<string, unknown>>;
}

export const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');

/** Prints the table, writes the JSON, returns the JSON's path. */
export function report(bench: BenchReport): string {
  const columns = bench.columns ?? Object.keys(bench.rows[0] ?? {});
  console.log(formatTable(bench.title ?? bench.name, columns, bench.rows));
  mkdirSync(RESULTS_DIR, { recursive: true });
  const path = join(RESULTS_DIR, `${bench.name}.json`);
  const json = {
    name: bench.name,
    title: bench.title ?? bench.name,
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpu: cpus()[0]?.model ?? 'unknown',
    meta: bench.meta ?? {},
    columns,
    rows: bench.rows,
  };
  writeFileSync(path, `${JSON.stringify(json, (_, v) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`);
  console.log(`\nwrote ${path}`);
  return path;
}

export function formatTable(title: string, columns: readonly string[], rows: readonly Row[]): string {
  const cells = rows.map((row) => columns.map((c) => formatCell(row[c] ?? null)));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i]!.length)));
  // Numbers right-aligned so magnitudes line up; text left-aligned.
  const numeric = columns.map((c) => rows.length > 0 && rows.every((r) => typeof (r[c] ?? 0) !== 'string'));
  const line = (values: readonly string[]) =>
    `| ${values.map((v, i) => (numeric[i] ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (numeric[i] ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [`\n### ${title}\n`, line(columns), rule, ...cells.map(line)].join('\n');
}

function formatCell(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number') {
    return Number.isInteger(value)
      ? value.toLocaleString('en-US')
      : value.toLocaleString('en-US', { maximumFractionDigits: 2 });
  }
  return String(value);
}
