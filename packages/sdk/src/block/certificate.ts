/**
 * Quorum certificates. Each committee member signs, with ed25519,
 *
 *   blockSigningHash(header) = signingHash(BLOCK_DOMAIN, header.chainId, blockHash(header))
 *
 * (tx/signing.ts: sha256(u8 len ‖ 'assetl2/block/v1' ‖ u32le chainId ‖ hash)). A certificate is
 * valid for a committee and quorum when its view is the header's, its signers are distinct
 * committee members, every signature verifies, and there are at least `quorum` of them.
 * Consensus votes sign the same hash, so a quorum of votes is a certificate as is.
 */
import { sign, verify } from '#platform/ed25519.ts';
import { type Keypair, seedOf } from '../tx/keys.ts';
import { signingHash } from '../tx/signing.ts';
import { blockHash } from './codec.ts';
import {
  BLOCK_DOMAIN,
  BLOCK_LIMITS,
  type BlockHeader,
  type Certificate,
  type CertificateSignature,
} from './types.ts';

/** The 32 bytes a committee member signs for this header. */
export function blockSigningHash(header: BlockHeader): Uint8Array {
  return signingHash(BLOCK_DOMAIN, header.chainId, blockHash(header));
}

/** This member's certificate entry for the header (throws RangeError for an unencodable header). */
export function signBlock(header: BlockHeader, keypair: Keypair): CertificateSignature {
  return {
    signer: keypair.publicKey.slice(),
    signature: sign(blockSigningHash(header), seedOf(keypair)),
  };
}

/**
 * True iff `certificate` certifies `header` for this committee: same view, at most
 * BLOCK_LIMITS.maxCertificateSignatures entries, every signer a committee member and none
 * twice, every signature valid, at least `quorum` of them. Never throws on a hostile header or
 * certificate (false); throws RangeError for a quorum that is not a positive integer, which is
 * a configuration error.
 */
export function verifyCertificate(
  header: BlockHeader,
  certificate: Certificate,
  committee: readonly Uint8Array[],
  quorum: number,
): boolean {
  if (!Number.isSafeInteger(quorum) || quorum < 1) {
    throw new RangeError(`a quorum is a positive integer, got ${quorum}`);
  }
  try {
    const { view, signatures } = certificate;
    if (view !== header.view || !Array.isArray(signatures)) return false;
    if (signatures.length > BLOCK_LIMITS.maxCertificateSignatures || signatures.length < quorum) return false;
    const members = new Set<string>();
    for (const key of committee)
      if (key instanceof Uint8Array && key.length === 32) members.add(keyString(key));
    const hash = blockSigningHash(header);
    const seen = new Set<string>();
    for (const entry of signatures) {
      const { signer, signature } = entry;
      if (!(signer instanceof Uint8Array) || signer.length !== 32) return false;
      const id = keyString(signer);
      if (!members.has(id) || seen.has(id)) return false;
      seen.add(id);
      if (!verify(signature, hash, signer)) return false;
    }
    return seen.size >= quorum;
  } catch {
    return false; // a header field out of range cannot have been signed
  }
}

/** Unique per 32-byte key, cheap to build (one char per byte). */
function keyString(key: Uint8Array): string {
  return String.fromCharCode.apply(null, key as unknown as number[]);
}
