/**
 * The one way anything in Asset L2 is signed. Every signed object (transaction, vote, timeout,
 * batch, committee change) signs, with ed25519, the 32-byte
 *
 *   signingHash = sha256( u8(len(domain)) ‖ domain ‖ u32le(chainId) ‖ encode(object) )
 *
 * where `domain` is a fixed ASCII string per kind of object, with its version. The length
 * byte makes the concatenation unambiguous (no domain can be a prefix of another kind's
 * domain plus payload), the domain stops a signature over one kind being replayed as another
 * kind, and the chain id stops replay across chains (devnet → mainnet).
 *
 * Domains are declared beside the objects they sign: TX_DOMAIN here; the vote, timeout,
 * batch and committee domains follow the same pattern ('assetl2/<kind>/v<n>').
 */
import { sha256 } from '../codec/hash.ts';

export const TX_DOMAIN = 'assetl2/tx/v1';

const prefixes = new Map<string, Uint8Array>();

/** u8 length ‖ domain bytes, checked and built once per domain. */
function domainPrefix(domain: string): Uint8Array {
  let prefix = prefixes.get(domain);
  if (prefix) return prefix;
  if (!/^[\x21-\x7e]{1,255}$/.test(domain)) {
    throw new RangeError(
      `a signing domain is 1–255 printable ASCII characters without spaces: ${JSON.stringify(domain)}`,
    );
  }
  prefix = new Uint8Array(1 + domain.length);
  prefix[0] = domain.length;
  for (let i = 0; i < domain.length; i++) prefix[1 + i] = domain.charCodeAt(i);
  prefixes.set(domain, prefix);
  return prefix;
}

export function signingHash(domain: string, chainId: number, bytes: Uint8Array): Uint8Array {
  if (!Number.isInteger(chainId) || chainId < 0 || chainId > 0xffff_ffff) {
    throw new RangeError(`chain id out of range: ${chainId}`);
  }
  const prefix = domainPrefix(domain);
  const input = new Uint8Array(prefix.length + 4 + bytes.length);
  input.set(prefix);
  const at = prefix.length;
  input[at] = chainId & 0xff;
  input[at + 1] = (chainId >>> 8) & 0xff;
  input[at + 2] = (chainId >>> 16) & 0xff;
  input[at + 3] = chainId >>> 24;
  input.set(bytes, prefix.length + 4);
  return sha256(input);
}
