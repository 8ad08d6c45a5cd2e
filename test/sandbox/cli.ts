import { readSandboxStatus } from './status.js';
import { stopSandbox } from './down.js';
import { startSandbox } from './up.js';
import { sandboxFiles } from './paths.js';
import { execInSandbox } from './exec.js';

// pnpm sandbox up | down | status [--quiet] | exec [--] [command args…]

async function runUp(): Promise<number> {
  const result = await startSandbox((line) => console.log(line));
  if (result.alreadyRunning) {
    console.log('sandbox: already up and healthy; nothing to do');
    return 0;
  }
  const { endpoints } = result;
  const phases = Object.entries(result.phases).map(([phase, ms]) => `${phase} ${ms}`);
  console.log(`sandbox: up in ${result.elapsedMs} ms (${phases.join(', ')})`);
  console.log(`  aws (moto)        ${endpoints.aws.url} (direct ${endpoints.aws.directUrl})`);
  console.log(`  github stand-in   ${endpoints.github.apiUrl}`);
  console.log(`  cloudflare        ${endpoints.cloudflare.baseUrl}`);
  console.log(`  registry basic    ${endpoints.registries.basic.host}`);
  console.log(`  registry token    ${endpoints.registries.token.host}`);
  console.log(`  redis             ${endpoints.redis.url}`);
  console.log(`  fault proxy admin ${endpoints.faultProxy.adminUrl}`);
  console.log(
    `sandbox: endpoints in ${sandboxFiles.endpoints}; run a command on it: pnpm sandbox exec -- <command> (a shell: pnpm sandbox exec)`,
  );
  return 0;
}

async function runDown(): Promise<number> {
  const { stopped, openPorts } = await stopSandbox();
  if (openPorts.length > 0) {
    console.error(`sandbox: stopped ${stopped.join(', ')} but ports still listen: ${openPorts.join(', ')}`);
    return 1;
  }
  console.log(stopped.length > 0 ? `sandbox: stopped ${stopped.join(', ')}` : 'sandbox: was not running');
  return 0;
}

async function runStatus(quiet: boolean): Promise<number> {
  const status = await readSandboxStatus();
  if (!quiet) {
    if (!status.endpoints) console.log('sandbox: not running (no .sandbox/endpoints.json)');
    for (const piece of status.pieces) {
      const mark = piece.answers ? 'answers' : 'DOWN   ';
      console.log(`${mark}  ${piece.name.padEnd(26)} ${piece.address} (${piece.detail})`);
    }
    for (const name of status.deadProcesses) console.log(`DOWN     process ${name} is not running`);
    if (status.endpoints)
      console.log(status.healthy ? 'sandbox: healthy' : 'sandbox: NOT healthy; run pnpm sandbox up');
  }
  return status.healthy ? 0 : 1;
}

async function main(args: string[]): Promise<number> {
  const [command, ...flags] = args;
  switch (command) {
    case 'up':
      return runUp();
    case 'down':
      return runDown();
    case 'status':
      return runStatus(flags.includes('--quiet'));
    case 'exec':
      return execInSandbox(flags);
    default:
      console.error('usage: pnpm sandbox up | down | status [--quiet] | exec [--] [command args…]');
      return 2;
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  console.error(`sandbox: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
