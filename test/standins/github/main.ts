import { parseArgs } from 'node:util';
import { startGitHubStandIn } from './server.js';

/** Starts the GitHub stand-in on its own and prints `{"url","graphqlUrl","adminUrl"}` once it listens. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      token: { type: 'string' },
      login: { type: 'string' },
      repository: { type: 'string', multiple: true },
      'validate-responses': { type: 'boolean' },
    },
  });
  const standIn = await startGitHubStandIn({
    ...(values.port ? { port: Number(values.port) } : {}),
    ...(values.token ? { token: values.token } : {}),
    ...(values.login ? { login: values.login } : {}),
    ...(values.repository?.length ? { repositories: values.repository } : {}),
    ...(values['validate-responses'] ? { validateResponses: true } : {}),
  });
  process.stdout.write(
    `${JSON.stringify({ url: standIn.url, graphqlUrl: standIn.graphqlUrl, adminUrl: standIn.adminUrl })}\n`,
  );
  const stop = (): void => {
    standIn.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`github stand-in failed to start: ${(error as Error).message}\n`);
  process.exit(1);
});
