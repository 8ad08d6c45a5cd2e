import { ConfigurationError } from '../action/errors.js';
import { createPreviewHost } from '../preview/naming.js';

/**
 * How previews get a hostname: `record` makes one CNAME per preview, `wildcard` relies on a
 * `*.<domain>` record someone made once, `none` leaves DNS alone.
 */
export type DnsMode = 'record' | 'wildcard' | 'none';

/** The hostname a preview answers on and whether we manage its record. */
export interface PreviewHost {
  hostname: string | undefined;
  manageRecord: boolean;
}

const MODES: readonly DnsMode[] = ['record', 'wildcard', 'none'];
const HOSTNAME = /^(?=.{1,240}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** Reads the `dns-mode` input. */
export function parseDnsMode(value: string): DnsMode {
  const mode = value.trim().toLowerCase();
  if ((MODES as readonly string[]).includes(mode)) return mode as DnsMode;
  throw new ConfigurationError(`dns-mode ${JSON.stringify(value)} is not one of record, wildcard, none`);
}

/**
 * Works out a preview's hostname, `pr-{N}.<domain>`. Modes that need a hostname require a
 * domain; `none` has no hostname and manages nothing.
 */
export function resolvePreviewHost(input: {
  mode: DnsMode;
  domain: string | undefined;
  pr: number;
  namePrefix?: string;
}): PreviewHost {
  if (input.mode === 'none') return { hostname: undefined, manageRecord: false };
  const domain = (input.domain ?? '').trim().toLowerCase().replace(/\.$/, '');
  if (!domain)
    throw new ConfigurationError(
      `dns-mode ${input.mode} needs a domain: set domain in the environment file to the zone (or subdomain) previews live under`,
    );
  const hostname = createPreviewHost(input.pr, domain, input.namePrefix);
  if (!HOSTNAME.test(hostname)) {
    throw new ConfigurationError(
      `domain ${JSON.stringify(input.domain)} does not make a valid hostname: use a plain domain such as preview.example.com`,
    );
  }
  return { hostname, manageRecord: input.mode === 'record' };
}
