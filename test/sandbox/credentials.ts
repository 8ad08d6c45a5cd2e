import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A random secret that is safe in URLs, headers and shell files. */
export function createSecret(bytes = 18): string {
  return randomBytes(bytes).toString('hex');
}

/** Writes an htpasswd file with one bcrypt entry; the password goes through stdin, never argv. */
export async function writeHtpasswd(path: string, username: string, password: string): Promise<void> {
  const child = run('htpasswd', ['-niB', username], { encoding: 'utf8' });
  child.child.stdin?.end(`${password}\n`);
  const { stdout } = await child;
  writeFileSync(path, stdout.trim() + '\n', { mode: 0o600 });
}

export interface CertificateFiles {
  keyPath: string;
  certPath: string;
}

export interface CertificateRequest {
  subject: string;
  subjectAltNames?: string[];
  /** RSA for the registry token issuer (tokens are RS256); P-256 where any key will do, as it is made at once. */
  keyType: 'rsa' | 'ec';
}

/** Makes a throwaway key and a self-signed certificate for it with the `openssl` CLI. */
export async function createSelfSignedCertificate(files: CertificateFiles, request: CertificateRequest): Promise<void> {
  const altNames = request.subjectAltNames?.length
    ? ['-addext', `subjectAltName=${request.subjectAltNames.join(',')}`]
    : [];
  const newKey =
    request.keyType === 'rsa' ? ['-newkey', 'rsa:2048'] : ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'];
  await run('openssl', [
    'req',
    '-x509',
    ...newKey,
    '-nodes',
    '-sha256',
    '-days',
    '30',
    '-keyout',
    files.keyPath,
    '-out',
    files.certPath,
    '-subj',
    request.subject,
    ...altNames,
  ]);
}
