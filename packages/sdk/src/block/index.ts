/**
 * Blocks: header, transactions and quorum certificate; their borsh layout, hash, transactions
 * Merkle root, signing and certificate checks. Isomorphic: clients verify blocks too.
 */
export { checkBlock, checkBlockBody, createBlockHeader, executionBlock } from './block.ts';
export { blockSigningHash, signBlock, verifyCertificate } from './certificate.ts';
export {
  BLOCK_HEADER_BYTES,
  blockHash,
  blockHeaderCodec,
  blockKindCodec,
  certificateCodec,
  certificateSignatureCodec,
  certifiedBlockCodec,
  decodeBlock,
  decodeBlockHeader,
  decodeCertificate,
  encodeBlock,
  encodeBlockHeader,
  encodeCertificate,
} from './codec.ts';
export { TX_LEAF_PREFIX, TX_NODE_PREFIX, transactionsRoot, transactionsRootOfHashes } from './merkle.ts';
export * from './types.ts';
