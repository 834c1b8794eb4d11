/**
 * `assetl2 curve plot`: one self-contained SVG figure of a launch — spot price against tokens
 * sold (top) and the reserve ratio against the floor (bottom), with the migration point, the
 * sealed window and the fee — and its PNG rendering. Same template, same bytes.
 */
import { type CurveTemplate, sigmoidApproximationError } from '@assetl2/sdk';
import { Resvg } from '@resvg/resvg-js';
import { computePlotData, type PlotData, type PlotPoint } from './plot-data.ts';
import {
  compact,
  escapeXml,
  niceTicks,
  percent,
  percentBps,
  price,
  priceUnit,
  px,
  sol,
  tickLabel,
} from './plot-format.ts';

const WIDTH = 1000;
const HEIGHT = 720;
/** PNGs are rendered at twice the SVG size, so text stays crisp on any screen. */
const PNG_ZOOM = 2;
const FONT = "'DejaVu Sans', Verdana, 'Helvetica Neue', Arial, sans-serif";

const ACCENT = '#2563eb';
const INK = '#111827';
const MUTED = '#4b5563';
const FAINT = '#6b7280';
const GRID = '#eceef1';
const AXIS = '#c4c9d0';

const LEFT = 84;
const RIGHT = 968;

interface Panel {
  readonly top: number;
  readonly bottom: number;
}
const PRICE_PANEL: Panel = { top: 122, bottom: 392 };
const RATIO_PANEL: Panel = { top: 470, bottom: 640 };

interface Rect {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** Renders the figure for a compiled template as a standalone SVG document. */
export function renderCurvePlot(template: CurveTemplate): string {
  return new Figure(computePlotData(template)).render();
}

/** Rasterizes an SVG from renderCurvePlot to PNG (2× its size), with DejaVu Sans as the default font. */
export function svgToPng(svg: string): Uint8Array {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: PNG_ZOOM },
    background: '#ffffff',
    font: {
      loadSystemFonts: true,
      defaultFontFamily: 'DejaVu Sans',
      sansSerifFamily: 'DejaVu Sans',
    },
    shapeRendering: 2,
    textRendering: 1,
    logLevel: 'off',
  });
  return new Uint8Array(resvg.render().asPng());
}

/** Advances of DejaVu Sans in em, by character class (bold is about 10% wider). */
const ADVANCES: readonly [RegExp, number][] = [
  [/[ijl'|.,:;!·\s]/, 0.3],
  [/[ft()[\]\-/r]/, 0.38],
  [/[sz"]/, 0.52],
  [/[mw%—]/, 0.9],
  [/[0-9]/, 0.64],
  [/[IJ]/, 0.3],
  [/[MW&<>×÷]/, 0.86],
  [/[A-Z]/, 0.72],
];

/** Approximate width of a label, enough to keep labels apart and boxes snug. */
function textWidth(text: string, size: number, bold = false): number {
  let em = 0;
  for (const c of text) em += ADVANCES.find(([re]) => re.test(c))?.[1] ?? 0.61;
  return em * size * (bold ? 1.1 : 1) * 1.03;
}

/** The largest size up to `size` (at least `min`) at which a header line fits the page. */
function fitSize(line: string, size: number, min: number, bold = false): number {
  const available = WIDTH - 2 * (LEFT - 48);
  const width = textWidth(line, size, bold);
  return width <= available ? size : Math.max(min, Math.floor((size * available * 10) / width) / 10);
}

interface TextOptions {
  readonly size?: number;
  readonly fill?: string;
  readonly weight?: 'bold';
  readonly anchor?: 'start' | 'middle' | 'end';
}

function text(x: number, y: number, content: string, options: TextOptions = {}): string {
  const attrs = [
    `x="${px(x)}"`,
    `y="${px(y)}"`,
    `font-size="${options.size ?? 12}"`,
    `fill="${options.fill ?? INK}"`,
  ];
  if (options.weight) attrs.push(`font-weight="${options.weight}"`);
  if (options.anchor && options.anchor !== 'start') attrs.push(`text-anchor="${options.anchor}"`);
  return `<text ${attrs.join(' ')}>${escapeXml(content)}</text>`;
}

function polyline(points: readonly (readonly [number, number])[]): string {
  let d = '';
  let last = '';
  for (const [i, [x, y]] of points.entries()) {
    const p = `${px(x)},${px(y)}`;
    if (p === last) continue;
    d += `${i === 0 ? 'M' : 'L'}${p}`;
    last = p;
  }
  return d;
}

/** Does the segment a→b cross the rectangle (Liang–Barsky)? */
function segmentHitsRect(a: readonly [number, number], b: readonly [number, number], r: Rect): boolean {
  let t0 = 0;
  let t1 = 1;
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const edges: [number, number][] = [
    [-dx, a[0] - r.x],
    [dx, r.x + r.w - a[0]],
    [-dy, a[1] - r.y],
    [dy, r.y + r.h - a[1]],
  ];
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q < 0) return false;
    } else {
      const t = q / p;
      if (p < 0) {
        if (t > t1) return false;
        if (t > t0) t0 = t;
      } else {
        if (t < t0) return false;
        if (t < t1) t1 = t;
      }
    }
  }
  return true;
}

function overlaps(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

function inflate(r: Rect, by: number): Rect {
  return { x: r.x - by, y: r.y - by, w: r.w + 2 * by, h: r.h + 2 * by };
}

/** Puts labels where they hit neither the data lines nor each other. */
class Placer {
  private readonly taken: Rect[] = [];
  private readonly lines: (readonly (readonly [number, number])[])[] = [];

  addLine(points: readonly (readonly [number, number])[]): void {
    this.lines.push(points);
  }

  reserve(rect: Rect): void {
    this.taken.push(rect);
  }

  private cost(rect: Rect, bounds: Rect): number {
    if (rect.x < bounds.x || rect.y < bounds.y || rect.x + rect.w > bounds.x + bounds.w) return 1e9;
    if (rect.y + rect.h > bounds.y + bounds.h) return 1e9;
    const padded = inflate(rect, 4);
    const spaced = inflate(rect, 10);
    let cost = 0;
    for (const t of this.taken) if (overlaps(spaced, t)) cost += 1000;
    for (const line of this.lines) {
      for (let i = 1; i < line.length; i++) {
        if (segmentHitsRect(line[i - 1]!, line[i]!, padded)) cost += 1;
      }
    }
    return cost;
  }

  /**
   * The first candidate that collides with nothing; failing that, the first free spot on a
   * coarse grid over `bounds`; failing that, the least crowded candidate.
   */
  place(preferred: readonly Rect[], bounds: Rect): Rect {
    const w = preferred[0]!.w;
    const h = preferred[0]!.h;
    const grid: Rect[] = [];
    for (let y = bounds.y + 10; y + h <= bounds.y + bounds.h - 10; y += 12) {
      for (let x = bounds.x + 16; x + w <= bounds.x + bounds.w - 10; x += 24) grid.push({ x, y, w, h });
    }
    let best = preferred[0]!;
    let bestCost = Number.POSITIVE_INFINITY;
    for (const c of [...preferred, ...grid]) {
      const cost = this.cost(c, bounds);
      if (cost < bestCost) {
        best = c;
        bestCost = cost;
      }
      if (cost === 0) break;
    }
    this.taken.push(best);
    return best;
  }
}

function shapeName(template: CurveTemplate): string {
  const curve = template.curve;
  switch (curve.kind) {
    case 'constant_product':
      return 'constant-product';
    case 'piecewise':
      return `piecewise-linear (${curve.segments.length} segment${curve.segments.length === 1 ? '' : 's'})`;
    default:
      return curve.kind;
  }
}

class Figure {
  private readonly out: string[] = [];
  private readonly placer = new Placer();
  private readonly t: CurveTemplate;
  private readonly sellWhole: number;
  private readonly unitOfPrice: 'SOL' | 'lamports';
  private readonly priceTop: number;
  private readonly ratioTop: number;
  /** Whole tokens sold at migration, when the curve reaches it. */
  private readonly migrationAt: number | null;

  constructor(private readonly data: PlotData) {
    this.t = data.template;
    this.sellWhole = Number(data.sell) / Number(data.unit);
    const maxPrice = Math.max(0, ...data.price.map((p) => p.value));
    this.unitOfPrice = priceUnit(maxPrice);
    this.priceTop = niceTicks(maxPrice * 1.06, 6).top;
    const maxRatio = Math.max(1, ...data.ratio.map((p) => p.value).filter(Number.isFinite));
    this.ratioTop = maxRatio <= 1.0001 ? 1 : niceTicks(maxRatio * 1.05, 4).top;
    const m = data.migration;
    this.migrationAt = m?.reached ? Number(m.sold) / Number(data.unit) : null;
  }

  private x(sold: number): number {
    return this.sellWhole > 0 ? LEFT + (sold / this.sellWhole) * (RIGHT - LEFT) : LEFT;
  }

  private y(panel: Panel, value: number, top: number): number {
    const clamped = Math.min(Math.max(value, 0), top * 1.02);
    return panel.bottom - (clamped / top) * (panel.bottom - panel.top);
  }

  private toPixels(points: readonly PlotPoint[], panel: Panel, top: number): [number, number][] {
    return points
      .filter((p) => Number.isFinite(p.value))
      .map((p) => [this.x(p.sold), this.y(panel, p.value, top)]);
  }

  render(): string {
    this.out.push(
      `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="${FONT}">`,
      `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
      `<defs><linearGradient id="price-fill" x1="0" y1="0" x2="0" y2="1">` +
        `<stop offset="0" stop-color="${ACCENT}" stop-opacity="0.16"/>` +
        `<stop offset="1" stop-color="${ACCENT}" stop-opacity="0.02"/></linearGradient></defs>`,
    );
    this.header();
    const pricePx = this.toPixels(this.data.price, PRICE_PANEL, this.priceTop);
    const ratioPx = this.toPixels(this.data.ratio, RATIO_PANEL, this.ratioTop);
    this.placer.addLine(pricePx);
    this.placer.addLine(ratioPx);
    // The reference lines too, before any label is placed.
    if (this.t.reserveFloorBps > 0) {
      const y = this.floorY();
      this.placer.addLine([
        [LEFT, y],
        [RIGHT, y],
      ]);
    }
    if (this.migrationAt !== null) {
      const x = this.x(this.migrationAt);
      for (const panel of [PRICE_PANEL, RATIO_PANEL]) {
        this.placer.addLine([
          [x, panel.top],
          [x, panel.bottom],
        ]);
      }
    }

    this.axes(PRICE_PANEL, this.priceTop, this.unitOfPrice, 6);
    this.axes(RATIO_PANEL, this.ratioTop, 'ratio', 4);
    this.heading(PRICE_PANEL, 'Spot price', `${this.unitOfPrice} per whole token, before the fee`);
    this.heading(RATIO_PANEL, 'Reserve ratio', 'vault ÷ (spot price × tokens sold)');
    this.afterMigration(PRICE_PANEL);
    this.afterMigration(RATIO_PANEL);
    if (this.t.sealedBlocks > 0) this.sealedBand();
    this.series(pricePx, PRICE_PANEL, true);
    this.series(ratioPx, RATIO_PANEL, false);
    this.floor();
    this.notes();
    this.migrationMarks(pricePx);
    this.out.push(
      text((LEFT + RIGHT) / 2, RATIO_PANEL.bottom + 46, `tokens sold (whole ${this.t.symbol} tokens)`, {
        size: 12.5,
        fill: MUTED,
        anchor: 'middle',
      }),
      '</svg>',
    );
    return `${this.out.join('\n')}\n`;
  }

  private header(): void {
    const t = this.t;
    const title = `"${t.name}" (${t.symbol}) — ${shapeName(t)} curve`;
    this.out.push(text(LEFT - 48, 42, title, { size: fitSize(title, 22, 14, true), weight: 'bold' }));
    const unit = Number(this.data.unit);
    const supply = Number(t.supply) / unit;
    const share = supply > 0 ? ` (${percent(this.sellWhole / supply)} of supply)` : '';
    const parts = [
      `supply ${compact(supply)} ${t.symbol}`,
      `${compact(this.sellWhole)} for sale on the curve${share}`,
      t.feeBps > 0 ? `fee ${percentBps(t.feeBps)} per trade` : 'no trading fee',
    ];
    const m = t.migration;
    if (m) {
      const fee = m.migrationFee > 0n ? `, migration fee ${sol(m.migrationFee)}` : '';
      parts.push(
        `then an AMM (fee ${percentBps(m.ammFeeBps)}${fee}, LP ${m.lp === 'burn' ? 'burnt' : 'to the creator'})`,
      );
    } else parts.push('no migration');
    const subtitle = parts.join('  ·  ');
    this.out.push(text(LEFT - 48, 68, subtitle, { size: fitSize(subtitle, 13, 9), fill: MUTED }));
  }

  private heading(panel: Panel, title: string, detail: string): void {
    const y = panel.top - 14;
    this.out.push(
      `<text x="${px(LEFT - 48)}" y="${px(y)}" font-size="14" fill="${INK}">` +
        `<tspan font-weight="bold">${escapeXml(title)}</tspan>` +
        `<tspan fill="${FAINT}" font-size="12.5" dx="8">${escapeXml(detail)}</tspan></text>`,
    );
  }

  private axes(panel: Panel, top: number, unit: 'SOL' | 'lamports' | 'ratio', target: number): void {
    const out = this.out;
    const yTicks = niceTicks(top, target);
    for (const v of yTicks.ticks) {
      if (v > top * 1.0001) continue;
      const y = this.y(panel, v, top);
      if (v > 0)
        out.push(
          `<line x1="${LEFT}" x2="${RIGHT}" y1="${px(y)}" y2="${px(y)}" stroke="${GRID}" stroke-width="1"/>`,
        );
      out.push(
        text(LEFT - 10, y + 4, tickLabel(v, yTicks.step, unit), { size: 11.5, fill: FAINT, anchor: 'end' }),
      );
    }
    const xTicks = niceTicks(this.sellWhole, 8);
    let lastRight = -Infinity;
    const labels: [number, string][] = [];
    for (const v of xTicks.ticks)
      if (v <= this.sellWhole * 1.0001) labels.push([v, tickLabel(v, xTicks.step, 'tokens')]);
    // The end of the sale as its own tick, unless a round tick already sits on it.
    const end = compact(this.sellWhole);
    const lastTick = labels.at(-1);
    if (!lastTick || this.x(this.sellWhole) - this.x(lastTick[0]) > 1) labels.push([this.sellWhole, end]);
    for (const [i, [v, label]] of labels.entries()) {
      const x = this.x(v);
      if (v > 0)
        out.push(
          `<line x1="${px(x)}" x2="${px(x)}" y1="${panel.top}" y2="${panel.bottom}" stroke="${GRID}" stroke-width="1"/>`,
        );
      out.push(
        `<line x1="${px(x)}" x2="${px(x)}" y1="${panel.bottom}" y2="${panel.bottom + 5}" stroke="${AXIS}" stroke-width="1"/>`,
      );
      const w = textWidth(label, 11.5);
      const isEnd = i === labels.length - 1 && v === this.sellWhole;
      // Keep tick labels apart: the end-of-sale label wins over a round tick right before it.
      if (x - w / 2 < lastRight + 6 && !isEnd) continue;
      if (isEnd && x - w / 2 < lastRight + 6) out.pop();
      out.push(
        text(x, panel.bottom + 20, label, { size: 11.5, fill: isEnd ? INK : FAINT, anchor: 'middle' }),
      );
      lastRight = x + w / 2;
    }
    out.push(
      `<line x1="${LEFT}" x2="${RIGHT}" y1="${panel.bottom}" y2="${panel.bottom}" stroke="${AXIS}" stroke-width="1"/>`,
    );
  }

  /** Light shading where the curve no longer trades: after migration, the AMM does. */
  private afterMigration(panel: Panel): void {
    if (this.migrationAt === null || this.migrationAt >= this.sellWhole) return;
    const x = this.x(this.migrationAt);
    this.out.push(
      `<rect x="${px(x)}" y="${panel.top}" width="${px(RIGHT - x)}" height="${panel.bottom - panel.top}" fill="#f3f4f6" fill-opacity="0.7"/>`,
    );
    if (panel === PRICE_PANEL) {
      const label = 'after migration: trading moves to the AMM';
      const w = textWidth(label, 11);
      const bounds: Rect = { x, y: panel.top, w: RIGHT - x, h: panel.bottom - panel.top };
      const r = this.placer.place(
        [
          { x: RIGHT - w - 10, y: panel.top + 8, w, h: 14 },
          { x: x + 10, y: panel.top + 8, w, h: 14 },
          { x: RIGHT - w - 10, y: panel.bottom - 22, w, h: 14 },
          { x: x + 10, y: panel.bottom - 22, w, h: 14 },
        ],
        bounds,
      );
      this.out.push(text(r.x, r.y + 11, label, { size: 11, fill: FAINT }));
    }
  }

  private sealedBand(): void {
    const panel = PRICE_PANEL;
    this.out.push(
      `<rect x="${LEFT}" y="${panel.top}" width="10" height="${panel.bottom - panel.top}" fill="${ACCENT}" fill-opacity="0.14"/>`,
    );
    this.placer.reserve({ x: LEFT, y: panel.top, w: 10, h: panel.bottom - panel.top });
  }

  private series(points: readonly [number, number][], panel: Panel, fill: boolean): void {
    if (points.length === 0) return;
    const cut =
      this.migrationAt !== null && this.migrationAt < this.sellWhole ? this.x(this.migrationAt) : null;
    const [before, after] = cut === null ? [points, []] : splitAt(points, cut);
    if (fill && before.length > 1) {
      const first = before[0]!;
      const last = before.at(-1)!;
      this.out.push(
        `<path d="${polyline(before)}L${px(last[0])},${panel.bottom}L${px(first[0])},${panel.bottom}Z" fill="url(#price-fill)"/>`,
      );
    }
    const style = `fill="none" stroke="${ACCENT}" stroke-width="2.25" stroke-linejoin="round" stroke-linecap="round"`;
    if (after.length > 1) this.out.push(`<path d="${polyline(after)}" ${style} stroke-opacity="0.35"/>`);
    if (before.length > 1) this.out.push(`<path d="${polyline(before)}" ${style}/>`);
  }

  private floor(): void {
    const panel = RATIO_PANEL;
    const bounds: Rect = { x: LEFT, y: panel.top, w: RIGHT - LEFT, h: panel.bottom - panel.top };
    const k = this.t.reserveFloorBps;
    if (k === 0) {
      const label = 'no reserve floor';
      const w = textWidth(label, 12);
      const r = this.placer.place(
        [
          { x: LEFT + 12, y: panel.bottom - 28, w, h: 16 },
          { x: RIGHT - w - 12, y: panel.bottom - 28, w, h: 16 },
          { x: RIGHT - w - 12, y: panel.top + 10, w, h: 16 },
          { x: LEFT + 12, y: panel.top + 10, w, h: 16 },
        ],
        bounds,
      );
      this.out.push(text(r.x, r.y + 12, label, { size: 12, fill: MUTED }));
      return;
    }
    const y = this.floorY();
    this.out.push(
      `<line x1="${LEFT}" x2="${RIGHT}" y1="${px(y)}" y2="${px(y)}" stroke="${INK}" stroke-width="1.25" stroke-dasharray="6 4"/>`,
    );
    const label = `reserve floor ${percentBps(k)}`;
    const w = textWidth(label, 12, true);
    const h = 16;
    const r = this.placer.place(
      [
        { x: LEFT + 16, y: y - h - 6, w, h },
        { x: RIGHT - w - 16, y: y - h - 6, w, h },
        { x: LEFT + 16, y: y + 6, w, h },
        { x: RIGHT - w - 16, y: y + 6, w, h },
        { x: (LEFT + RIGHT - w) / 2, y: y - h - 6, w, h },
        { x: (LEFT + RIGHT - w) / 2, y: y + 6, w, h },
      ],
      bounds,
    );
    this.out.push(
      `<rect x="${px(r.x - 4)}" y="${px(r.y)}" width="${px(r.w + 8)}" height="${h}" rx="3" fill="#ffffff" fill-opacity="0.85"/>`,
      text(r.x, r.y + 12, label, { size: 12, weight: 'bold' }),
    );
  }

  private floorY(): number {
    return this.y(RATIO_PANEL, this.t.reserveFloorBps / 10_000, this.ratioTop);
  }

  private migrationMarks(pricePx: readonly [number, number][]): void {
    const m = this.data.migration;
    if (!m?.reached || this.migrationAt === null) return;
    const x = this.x(this.migrationAt);
    const trigger = this.t.migration!;
    const at = compact(this.migrationAt);
    const main =
      trigger.trigger === 'sold'
        ? `migrates to AMM at ${at} sold`
        : `migrates to AMM at ${sol(trigger.threshold)} raised (${at} sold)`;
    const detail = `price ${price(m.price, this.unitOfPrice)} per token  ·  vault ${sol(m.vault)}`;
    for (const panel of [PRICE_PANEL, RATIO_PANEL]) {
      this.out.push(
        `<line x1="${px(x)}" x2="${px(x)}" y1="${panel.top}" y2="${panel.bottom}" stroke="${INK}" stroke-width="1.25" stroke-dasharray="5 4"/>`,
      );
    }
    // The point on the price curve where the curve hands over.
    const y = interpolateY(pricePx, x) ?? PRICE_PANEL.bottom;
    this.out.push(
      `<circle cx="${px(x)}" cy="${px(y)}" r="4.5" fill="#ffffff" stroke="${ACCENT}" stroke-width="2.25"/>`,
    );
    this.placer.reserve(inflate({ x, y, w: 0, h: 0 }, 6));

    const w = Math.max(textWidth(main, 12.5, true), textWidth(detail, 11.5));
    const h = 36;
    const p = PRICE_PANEL;
    const bounds: Rect = { x: LEFT, y: p.top, w: RIGHT - LEFT, h: p.bottom - p.top };
    const mid = (p.top + p.bottom - h) / 2;
    const r = this.placer.place(
      [
        { x: x - w - 12, y: p.top + 10, w, h },
        { x: x + 12, y: p.top + 10, w, h },
        { x: x - w - 12, y: p.bottom - h - 12, w, h },
        { x: x + 12, y: p.bottom - h - 12, w, h },
        { x: x - w - 12, y: mid, w, h },
        { x: x + 12, y: mid, w, h },
      ],
      bounds,
    );
    this.out.push(
      `<rect x="${px(r.x - 6)}" y="${px(r.y - 2)}" width="${px(r.w + 12)}" height="${h + 4}" rx="4" fill="#ffffff" fill-opacity="0.9"/>`,
      text(r.x, r.y + 13, main, { size: 12.5, weight: 'bold' }),
      text(r.x, r.y + 30, detail, { size: 11.5, fill: MUTED }),
    );

    const q = RATIO_PANEL;
    const label = 'migration';
    const lw = textWidth(label, 11.5);
    const lb: Rect = { x: LEFT, y: q.top, w: RIGHT - LEFT, h: q.bottom - q.top };
    const lr = this.placer.place(
      [
        { x: x - lw - 8, y: q.top + 6, w: lw, h: 14 },
        { x: x + 8, y: q.top + 6, w: lw, h: 14 },
        { x: x - lw - 8, y: q.bottom - 22, w: lw, h: 14 },
        { x: x + 8, y: q.bottom - 22, w: lw, h: 14 },
      ],
      lb,
    );
    this.out.push(text(lr.x, lr.y + 11, label, { size: 11.5, fill: MUTED }));
  }

  /** The launch's rules that are not curves: fee, sealed window, caps, an unreachable migration. */
  private notes(): void {
    const t = this.t;
    const lines: { text: string; swatch?: 'band' | 'none' }[] = [];
    const curve = t.curve;
    const tokens = (baseUnits: bigint) =>
      `${compact(Number(baseUnits) / Number(this.data.unit))} ${t.symbol}`;
    if (curve.kind === 'exponential') {
      const steps = Math.ceil(Number(curve.sell) / Number(curve.stepTokens));
      lines.push({
        text: `price steps up ${percentBps(curve.growthBps)} every ${tokens(curve.stepTokens)} (${steps} steps)`,
      });
    } else if (curve.kind === 'sigmoid') {
      const gap = sigmoidApproximationError(curve);
      const within = Number.isFinite(gap) ? `, within ${percent(gap)} of the true S-curve` : '';
      lines.push({ text: `traded as 32 exact linear segments${within}` });
    }
    if (t.feeBps > 0) {
      const split = t.feeSplitCreatorBps > 0 ? ` (${percentBps(t.feeSplitCreatorBps)} to the creator)` : '';
      lines.push({ text: `fee ${percentBps(t.feeBps)} on every buy and sell, on top of the price${split}` });
    } else lines.push({ text: 'no trading fee' });
    if (t.sealedBlocks > 0) {
      const blocks = t.sealedBlocks === 1 ? 'first block' : `first ${t.sealedBlocks} blocks`;
      lines.push({ text: `sealed launch window: ${blocks}, uniform-price clearing`, swatch: 'band' });
    }
    if (t.maxBuy !== null) {
      lines.push({ text: `max buy ${tokens(t.maxBuy)} per wallet` });
    }
    const m = this.data.migration;
    if (m && !m.reached && t.migration) {
      const what =
        t.migration.trigger === 'sold'
          ? `${compact(Number(t.migration.threshold) / Number(this.data.unit))} sold`
          : `${sol(t.migration.threshold)} raised`;
      lines.push({ text: `migration at ${what}: never reached` });
      lines.push({
        text:
          t.migration.trigger === 'raised'
            ? `the curve raises ${sol(this.data.maxVault)} at most`
            : `only ${tokens(this.data.sell)} are for sale`,
        swatch: 'none',
      });
    }
    if (!t.migration) lines.push({ text: 'no migration: the curve trades to the end' });

    const size = 12;
    const lineHeight = 19;
    const swatchSpace = 20;
    const w = Math.max(...lines.map((l) => textWidth(l.text, size))) + swatchSpace + 20;
    const h = lines.length * lineHeight + 12;
    const p = PRICE_PANEL;
    const bounds: Rect = { x: LEFT, y: p.top, w: RIGHT - LEFT, h: p.bottom - p.top };
    const inset = 22;
    const r = this.placer.place(
      [
        { x: LEFT + inset, y: p.top + 12, w, h },
        { x: RIGHT - w - 14, y: p.bottom - h - 14, w, h },
        { x: RIGHT - w - 14, y: p.top + 12, w, h },
        { x: LEFT + inset, y: p.bottom - h - 14, w, h },
        { x: (LEFT + RIGHT - w) / 2, y: p.top + 12, w, h },
        { x: (LEFT + RIGHT - w) / 2, y: p.bottom - h - 14, w, h },
        { x: LEFT + inset, y: (p.top + p.bottom - h) / 2, w, h },
        { x: RIGHT - w - 14, y: (p.top + p.bottom - h) / 2, w, h },
      ],
      bounds,
    );
    this.out.push(
      `<rect x="${px(r.x)}" y="${px(r.y)}" width="${px(r.w)}" height="${px(r.h)}" rx="6" fill="#ffffff" fill-opacity="0.92" stroke="#e5e7eb"/>`,
    );
    for (const [i, line] of lines.entries()) {
      const baseline = r.y + 6 + lineHeight * i + 14;
      const sx = r.x + 10;
      if (line.swatch === 'band') {
        this.out.push(
          `<rect x="${px(sx)}" y="${px(baseline - 11)}" width="12" height="13" fill="${ACCENT}" fill-opacity="0.2"/>`,
        );
      } else if (line.swatch === undefined) {
        this.out.push(`<circle cx="${px(sx + 6)}" cy="${px(baseline - 4)}" r="2" fill="${FAINT}"/>`);
      }
      this.out.push(text(sx + swatchSpace, baseline, line.text, { size, fill: INK }));
    }
  }
}

/** The polyline's height at x (the first crossing), by linear interpolation. */
function interpolateY(points: readonly [number, number][], x: number): number | null {
  for (let i = 1; i < points.length; i++) {
    const [x0, y0] = points[i - 1]!;
    const [x1, y1] = points[i]!;
    if (x0 <= x && x <= x1) return x1 === x0 ? y1 : y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
  }
  return points.at(-1)?.[1] ?? null;
}

/** Splits a polyline at x, both halves sharing the point on it. */
function splitAt(points: readonly [number, number][], x: number): [[number, number][], [number, number][]] {
  const before: [number, number][] = [];
  const after: [number, number][] = [];
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    if (p[0] <= x) before.push(p);
    else {
      const prev = points[i - 1];
      if (after.length === 0 && prev) {
        const y = prev[0] === p[0] ? p[1] : prev[1] + ((p[1] - prev[1]) * (x - prev[0])) / (p[0] - prev[0]);
        if (prev[0] < x) before.push([x, y]);
        after.push([x, y]);
      }
      after.push(p);
    }
  }
  return [before, after];
}
