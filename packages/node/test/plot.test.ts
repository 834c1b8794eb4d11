import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  applyBuy,
  type CurveTemplate,
  compileCurveScript,
  createCurveModel,
  initialCurveState,
  quoteBuyExact,
  vaultOf,
} from '@assetl2/sdk';
import { afterAll, describe, expect, it } from 'vitest';
import { renderCurvePlot, svgToPng } from '../src/cli/plot.ts';
import { computePlotData } from '../src/cli/plot-data.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const EXAMPLES = join(ROOT, 'examples');
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const SOL = 1_000_000_000n;

const tmp = mkdtempSync(join(tmpdir(), 'assetl2-plot-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function compileExample(file: string): CurveTemplate {
  const result = compileCurveScript(readFileSync(join(EXAMPLES, file), 'utf8'), {
    evaluateObligations: false,
  });
  if (!result.ok || !result.compiled) {
    throw new Error(`${file} does not compile: ${result.diagnostics.map((d) => d.message).join('; ')}`);
  }
  return result.compiled.template;
}

/**
 * A strict-enough XML check: one root <svg>, every tag closed in order, attribute values and
 * text free of raw `<`, `>` and `&` (only the five entities), nothing outside the root.
 */
function checkXml(svg: string): void {
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<>]*")*)\s*(\/?)>/y;
  let i = 0;
  let roots = 0;
  while (i < svg.length) {
    const lt = svg.indexOf('<', i);
    const chunk = svg.slice(i, lt === -1 ? svg.length : lt);
    if (stack.length === 0 && chunk.trim() !== '')
      throw new Error(`text outside the root: ${chunk.slice(0, 40)}`);
    if (chunk.includes('>')) throw new Error(`raw > in text: ${chunk.slice(0, 40)}`);
    if (/&(?!(lt|gt|amp|quot|apos);)/.test(chunk)) throw new Error(`raw & in text: ${chunk.slice(0, 40)}`);
    if (lt === -1) break;
    tag.lastIndex = lt;
    const m = tag.exec(svg);
    if (!m) throw new Error(`malformed tag at ${lt}: ${svg.slice(lt, lt + 60)}`);
    const [, closing, name = '', attrs = '', selfClosing] = m;
    if (/&(?!(lt|gt|amp|quot|apos);)/.test(attrs)) throw new Error(`raw & in attributes of <${name}>`);
    if (closing) {
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open}>`);
    } else if (!selfClosing) {
      if (stack.length === 0) roots++;
      stack.push(name);
    } else if (stack.length === 0) throw new Error(`<${name}/> outside the root`);
    i = tag.lastIndex;
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack.join('>, <')}>`);
  if (roots !== 1) throw new Error(`${roots} root elements`);
}

/** [width, height] from a PNG's IHDR, after checking the signature. */
function pngSize(png: Uint8Array): [number, number] {
  expect([...png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  expect(new TextDecoder().decode(png.subarray(12, 16))).toBe('IHDR');
  return [view.getUint32(16), view.getUint32(20)];
}

function svgSize(svg: string): [number, number] {
  const m = /^<svg [^>]*width="(\d+)" height="(\d+)"/.exec(svg);
  if (!m) throw new Error('no width/height on the root');
  return [Number(m[1]), Number(m[2])];
}

/** What examples/linear.curve migrates at: the first s whose vault holds 15 SOL. */
function vaultAfter(template: CurveTemplate, sold: bigint): bigint {
  const model = createCurveModel(template);
  const launch = initialCurveState(model);
  return vaultOf(model, sold === 0n ? launch : applyBuy(model, launch, quoteBuyExact(model, launch, sold)));
}

function withCurve(base: CurveTemplate, patch: Partial<CurveTemplate>): CurveTemplate {
  return { ...base, ...patch };
}

const examples = readdirSync(EXAMPLES)
  .filter((f) => f.endsWith('.curve'))
  .sort();

describe('renderCurvePlot on every example', () => {
  it('finds the examples', () => {
    expect(examples).toEqual(expect.arrayContaining(['exponential.curve', 'rocket.curve', 'sigmoid.curve']));
  });

  for (const file of examples) {
    it(file, () => {
      const template = compileExample(file);
      const svg = renderCurvePlot(template);
      expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
      checkXml(svg);
      expect(svg).not.toMatch(/NaN|Infinity|undefined/);
      expect(svg).not.toMatch(/href=|url\((?!#)/); // nothing external
      expect(renderCurvePlot(template)).toBe(svg); // deterministic

      expect(svg).toContain(`&quot;${template.name}&quot; (${template.symbol})`);
      if (template.migration) expect(svg).toContain('migrates to AMM at ');
      else expect(svg).not.toContain('migrates to AMM');
      if (template.reserveFloorBps > 0) {
        expect(svg).toContain(`reserve floor ${template.reserveFloorBps / 100}%`);
      } else expect(svg).toContain('no reserve floor');
      if (template.sealedBlocks > 0) {
        expect(svg).toContain(
          `sealed launch window: first ${template.sealedBlocks} blocks, uniform-price clearing`,
        );
      } else expect(svg).not.toContain('sealed launch window');
      expect(svg).toContain(`fee ${template.feeBps / 100}%`);

      const png = svgToPng(svg);
      const [w, h] = svgSize(svg);
      expect([w, h]).toEqual([1000, 720]);
      expect(pngSize(png)).toEqual([2 * w, 2 * h]);
    });
  }
});

describe('what the figure says', () => {
  it('rocket: migration at the end of the sale, the 20% floor, the sealed window', () => {
    const svg = renderCurvePlot(compileExample('rocket.curve'));
    expect(svg).toContain('"Rocket Cat" (RCAT) — constant-product curve'.replaceAll('"', '&quot;'));
    expect(svg).toContain('migrates to AMM at 793.1M sold');
    expect(svg).toContain('reserve floor 20%');
    expect(svg).toContain('sealed launch window: first 3 blocks, uniform-price clearing');
    expect(svg).toContain('supply 1B RCAT');
    expect(svg).toContain('793.1M for sale on the curve (79.3% of supply)');
  });

  it('rocket: the reserve ratio of constant product is (Y0 − s)/Y0', () => {
    const template = compileExample('rocket.curve');
    const data = computePlotData(template);
    expect(data.migration).toMatchObject({ reached: true, sold: template.migration!.threshold });
    expect(data.migration).toMatchObject({ vault: vaultAfter(template, template.migration!.threshold) });
    const last = data.ratio.at(-1)!;
    expect(last.sold).toBeCloseTo(793_100_000, 0);
    expect(last.value).toBeCloseTo((1_073_000_000 - 793_100_000) / 1_073_000_000, 4);
    expect(data.ratio[0]!.sold).toBeGreaterThan(0); // undefined at s = 0
    expect(data.ratio[0]!.value).toBeCloseTo(1, 2);
    // Spot price X/Y: 30 SOL / 1.073B tokens at launch, rising all the way.
    expect(data.price[0]!.value).toBeCloseTo(30e9 / 1.073e9, 6);
    for (let i = 1; i < data.price.length; i++) {
      expect(data.price[i]!.value).toBeGreaterThanOrEqual(data.price[i - 1]!.value);
    }
  });

  it('linear: `raised 15 sol` migrates at the first s whose vault holds 15 SOL', () => {
    const template = compileExample('linear.curve');
    const data = computePlotData(template);
    const m = data.migration;
    if (!m?.reached) throw new Error('expected a reachable migration');
    expect(m.vault).toBeGreaterThanOrEqual(15n * SOL);
    expect(vaultAfter(template, m.sold)).toBe(m.vault);
    expect(vaultAfter(template, m.sold - 1n)).toBeLessThan(15n * SOL);
    const svg = renderCurvePlot(template);
    expect(svg).toContain(`migrates to AMM at 15 SOL raised (${(Number(m.sold) / 1e12).toFixed(2)}M sold)`);
    expect(svg).toContain('after migration: trading moves to the AMM');
  });

  it('exponential: an honest staircase, one level per step', () => {
    const data = computePlotData(compileExample('exponential.curve'));
    expect(data.stepped).toBe(true);
    expect(data.price).toHaveLength(2 * 500);
    for (let k = 0; k < 500; k++) {
      const [a, b] = [data.price[2 * k]!, data.price[2 * k + 1]!];
      expect(a.value).toBe(b.value); // flat within a step
      expect(b.sold - a.sold).toBeCloseTo(1_000_000, 3);
    }
    expect(data.price[0]!.value).toBe(100);
    expect(data.price[2]!.value).toBeCloseTo(100.5, 9); // +0.5% per step
    const svg = renderCurvePlot(compileExample('exponential.curve'));
    expect(svg).toContain('price steps up 0.5% every 1M CMPD (500 steps)');
    expect(svg).toContain('no reserve floor');
  });

  it('sigmoid: the floor, and the price at migration', () => {
    const svg = renderCurvePlot(compileExample('sigmoid.curve'));
    expect(svg).toContain('reserve floor 10%');
    expect(svg).toContain('migrates to AMM at 800M sold');
    expect(svg).toMatch(/price 99,\d{3} lamports per token/);
  });

  it('escapes every text for XML', () => {
    const base = compileExample('rocket.curve');
    const template = withCurve(base, { name: "Cat <&\"> 'Co'", symbol: 'A&B<' });
    const svg = renderCurvePlot(template);
    checkXml(svg);
    expect(svg).toContain('&quot;Cat &lt;&amp;&quot;&gt; &apos;Co&apos;&quot; (A&amp;B&lt;)');
    expect(svg).not.toContain('Cat <&');
    expect(svg).not.toContain('A&B');
    expect(pngSize(svgToPng(svg))).toEqual([2000, 1440]); // resvg parses it as XML
  });

  it('says so when there is no migration, or when it is never reached', () => {
    const base = compileExample('linear.curve');
    const none = renderCurvePlot(withCurve(base, { migration: null }));
    expect(none).not.toContain('migrates to AMM');
    expect(none).toContain('no migration');
    const far = withCurve(base, { migration: { ...base.migration!, threshold: 1_000_000n * SOL } });
    const svg = renderCurvePlot(far);
    checkXml(svg);
    expect(svg).not.toContain('migrates to AMM');
    expect(svg).toContain('migration at 1,000,000 SOL raised: never reached');
    expect(svg).toContain('the curve raises 20,400 SOL at most');
  });
});

describe('assetl2 curve plot (the CLI, end to end)', () => {
  const run = (out: string) =>
    spawnSync(
      process.execPath,
      ['packages/node/bin/assetl2.mjs', 'curve', 'plot', 'examples/rocket.curve', '--out', out],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    );

  it('writes a PNG', () => {
    const out = join(tmp, 'rocket.png');
    const child = run(out);
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    expect(child.stdout).toContain(`wrote ${out}`);
    expect(pngSize(readFileSync(out))).toEqual([2000, 1440]);
  });

  it('writes the same SVG as renderCurvePlot', () => {
    const out = join(tmp, 'rocket.svg');
    const child = run(out);
    expect(child.status).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(renderCurvePlot(compileExample('rocket.curve')));
  });
});
