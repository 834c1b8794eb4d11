export * as ed25519 from '#platform/ed25519.ts';
export {
  assetCodec,
  buyOrderCodec,
  decodeTransaction,
  decodeUnsignedTransaction,
  encodeTransaction,
  encodeUnsignedTransaction,
  OPERATION_TAG_OFFSET,
  operationCodec,
  SIGNATURE_LENGTH,
  transactionCodec,
  transactionHash,
  transactionId,
  unsignedTransactionCodec,
} from './codec.ts';
export {
  addressOf,
  generateKeypair,
  type Keypair,
  keypairFromSecretKey,
  keypairFromSeed,
  parseKeypairFile,
  serializeKeypairFile,
} from './keys.ts';
export {
  signTransaction,
  transactionSigningHash,
  verifyTransaction,
  verifyTransactionSignature,
} from './sign.ts';
export { signingHash, TX_DOMAIN } from './signing.ts';
export * from './types.ts';
