import { sha256, toHex } from '../codec/hash.ts';
import {
  asciiString,
  type Codec,
  CodecError,
  decode,
  encode,
  literalEnum,
  option,
  struct,
  taggedUnion,
  u8,
  u16,
  u32,
  u64,
  vec,
} from '../codec/index.ts';
import { AssetL2Error } from '../errors/index.ts';
import { type Curve, type CurveTemplate, LIMITS, type Migration, type PiecewiseSegment } from './template.ts';
import { validateTemplate } from './validate.ts';

/** "AL2T": Asset L2 template; also the domain separator of templateHash. */
export const TEMPLATE_MAGIC = new Uint8Array([0x41, 0x4c, 0x32, 0x54]);
export const TEMPLATE_VERSION = 1;

const segmentCodec: Codec<PiecewiseSegment> = struct<PiecewiseSegment>([
  ['fromPrice', u64],
  ['toPrice', u64],
  ['until', u64],
]);

// Variant order is the wire tag (docs/template-format.md): never reorder.
const curveCodec: Codec<Curve> = taggedUnion<Curve>({
  constant_product: struct([
    ['virtualQuote', u64],
    ['virtualTokens', u64],
    ['sell', u64],
  ]),
  linear: struct([
    ['startPrice', u64],
    ['endPrice', u64],
    ['sell', u64],
  ]),
  exponential: struct([
    ['startPrice', u64],
    ['growthBps', u16],
    ['stepTokens', u64],
    ['sell', u64],
  ]),
  sigmoid: struct([
    ['minPrice', u64],
    ['maxPrice', u64],
    ['midpoint', u64],
    ['width', u64],
    ['sell', u64],
  ]),
  piecewise: struct([['segments', vec(segmentCodec, LIMITS.maxSegments)]]),
});

const migrationCodec: Codec<Migration> = struct<Migration>([
  ['trigger', literalEnum(['sold', 'raised'] as const)],
  ['threshold', u64],
  ['ammFeeBps', u16],
  ['migrationFee', u64],
  ['lp', literalEnum(['burn', 'creator'] as const)],
]);

// Field order is the wire order (docs/template-format.md); the header (magic, version) precedes it.
const templateBodyCodec: Codec<CurveTemplate> = struct<CurveTemplate>([
  ['name', asciiString(LIMITS.nameMaxLength)],
  ['symbol', asciiString(LIMITS.symbolMaxLength)],
  ['decimals', u8],
  ['supply', u64],
  ['creatorAllocation', u64],
  ['vestSeconds', u32],
  ['cliffSeconds', u32],
  ['curve', curveCodec],
  ['feeBps', u16],
  ['feeSplitCreatorBps', u16],
  ['reserveFloorBps', u16],
  ['sealedBlocks', u8],
  ['maxBuy', option(u64)],
  ['migration', option(migrationCodec)],
]);

const HEADER_LENGTH = TEMPLATE_MAGIC.length + 1;

/** Canonical bytes of a template (throws RangeError on a value its field cannot hold). */
export function encodeTemplate(template: CurveTemplate): Uint8Array {
  const body = encode(templateBodyCodec, template);
  const out = new Uint8Array(HEADER_LENGTH + body.length);
  out.set(TEMPLATE_MAGIC);
  out[TEMPLATE_MAGIC.length] = TEMPLATE_VERSION;
  out.set(body, HEADER_LENGTH);
  return out;
}

/** sha256 of the canonical bytes; the magic makes the hash domain-separated. */
export function templateHash(bytes: Uint8Array): string {
  return toHex(sha256(bytes));
}

/**
 * Decodes and re-validates a template: the consumer (CurveVM) never trusts the compiler.
 * Throws AssetL2Error TEMPLATE_* with a sentence naming what is wrong.
 */
export function decodeTemplate(bytes: Uint8Array): CurveTemplate {
  if (bytes.length < HEADER_LENGTH || !TEMPLATE_MAGIC.every((b, i) => bytes[i] === b)) {
    throw new AssetL2Error('TEMPLATE_BAD_MAGIC', 'not a curve template (bad magic)');
  }
  const version = bytes[TEMPLATE_MAGIC.length];
  if (version !== TEMPLATE_VERSION) {
    throw new AssetL2Error('TEMPLATE_BAD_VERSION', `unsupported template version ${version}`);
  }
  let template: CurveTemplate;
  try {
    template = decode(templateBodyCodec, bytes.subarray(HEADER_LENGTH));
  } catch (e) {
    if (!(e instanceof CodecError)) throw e;
    const code = e.reason === 'TRAILING_BYTES' ? 'TEMPLATE_TRAILING_BYTES' : 'TEMPLATE_MALFORMED';
    throw new AssetL2Error(code, `malformed template: ${e.message}`);
  }
  const issues = validateTemplate(template);
  const first = issues[0];
  if (first) throw new AssetL2Error('TEMPLATE_INVALID', `${first.field}: ${first.message}`);
  return template;
}
