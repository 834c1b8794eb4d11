export * from './base58.ts';
export * from './codec.ts';
export { fromBase64, fromHex, sha256, toBase64, toHex } from './hash.ts';
