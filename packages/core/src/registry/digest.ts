import { createHash } from 'node:crypto';

/** The OCI digest grammar for the algorithms registries accept. */
const DIGEST = /^sha256:[a-f0-9]{64}$|^sha512:[a-f0-9]{128}$/;

/** The `sha256:<hex>` digest of some bytes, as registries compute it for manifests and blobs. */
export function sha256Digest(bytes: Uint8Array | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** True when `value` is a sha256 or sha512 digest in canonical (lower-case hex) form. */
export function isDigest(value: string): boolean {
  return DIGEST.test(value);
}
