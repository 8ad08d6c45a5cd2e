import { createHash, type KeyObject } from 'node:crypto';

const base32Alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function encodeBase32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = ((value << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += base32Alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += base32Alphabet[(value << (5 - bits)) & 31];
  return out;
}

/**
 * The key id docker/libtrust gives a public key, which distribution 2.8 uses to find the key that signed a
 * bearer token (the JWT `kid`): SHA-256 of the DER (PKIX) key, cut to 240 bits, base32 in 12 groups of 4.
 */
export function createLibtrustKeyId(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  const digest = createHash('sha256').update(der).digest().subarray(0, 30);
  return encodeBase32(digest).match(/.{4}/g)!.join(':');
}
