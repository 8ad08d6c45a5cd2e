import { parseArgs } from 'node:util';
import { startCloudflareStandIn } from './server.js';

/**
 * Runs the Cloudflare stand-in on its own: `tsx test/standins/cloudflare/main.ts [--port N] [--zone NAME]`.
 * The token comes from CLOUDFLARE_STANDIN_TOKEN (never printed). Prints one JSON line with url, zoneId and
 * adminUrl once it listens; stops on SIGINT/SIGTERM.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { port: { type: 'string' }, zone: { type: 'string' } } });
  const standIn = await startCloudflareStandIn({
    port: values.port === undefined ? undefined : Number(values.port),
    token: process.env.CLOUDFLARE_STANDIN_TOKEN || undefined,
    zoneName: values.zone,
  });
  process.stdout.write(`${JSON.stringify({ url: standIn.url, zoneId: standIn.zoneId, adminUrl: standIn.adminUrl })}\n`);
  const stop = (): void => {
    void standIn.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `cloudflare stand-in failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
