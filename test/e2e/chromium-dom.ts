import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Debian's chromium package puts its launcher here. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Loads a local HTML file in headless Chromium and returns the DOM it built (`--dump-dom`): what a browser makes of
 * the page, not the text it was given. A fresh profile each time; no network, sync or component updates. Throws
 * with Chromium's own stderr when it cannot start or prints no DOM, so a test fails saying why, never skips.
 */
export function dumpDomWithChromium(file: string, timeoutMs = 60_000): string {
  const profile = mkdtempSync(join(tmpdir(), 'chromium-profile-'));
  try {
    const result = spawnSync(
      CHROMIUM,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        `--user-data-dir=${profile}`,
        '--dump-dom',
        pathToFileURL(file).href,
      ],
      { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
    );
    if (result.error) throw new Error(`chromium could not start (${CHROMIUM}): ${result.error.message}`);
    if (result.status !== 0 || !result.stdout.includes('<html'))
      throw new Error(
        `chromium exited ${result.status ?? result.signal} without a DOM for ${file}:\n${result.stderr.slice(-2000)}`,
      );
    return result.stdout;
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}
