/**
 * Promotion wall time on the sandbox's ECS deployment life cycle, for a healthy promotion and for a crash and its
 * rollback, each judged by the deployment-record waiter (the default) and by the older inferred waiter (the
 * service's PRIMARY deployment), interleaved in the same run. It drives the core use case promoteRelease directly
 * with the sandbox's clients, because the waiter switch (EcsRollout.useDeploymentRecords) has no action input;
 * everything else is what retag-promote passes (default poll intervals, digest verification, rollback on).
 * Run: npx tsx bench/promotion-wait.ts [rounds]   (default 3)
 */
import { systemClock } from '../packages/core/src/action/clock.js';
import type { Logger } from '../packages/core/src/action/logger.js';
import { createManifestStore } from '../packages/core/src/registry/index.js';
import {
  promoteRelease,
  readPromotionTargets,
  resolveServiceImages,
  type PromoteReleaseResult,
} from '../packages/core/src/release/index.js';
import { createSandboxAwsClients, destroySandboxAwsClients } from '../test/sandbox/aws-clients.js';
import { connectBasicRegistry } from '../test/sandbox/basic-registry.js';
import { pushBehaviourImage, type SandboxEcsBehaviour } from '../test/sandbox/behaviour-image.js';
import { createSettledService, deleteService } from '../test/sandbox/ecs-service.js';
import { ensureSandbox } from '../test/sandbox/ensure.js';
import { createThrowawayCluster, deleteClusterWithInstance } from '../test/sandbox/seed-aws.js';

const rounds = Number(process.argv[2] ?? 3);
if (!Number.isInteger(rounds) || rounds < 1 || rounds > 10) throw new Error('rounds must be a whole number, 1 to 10');

const SCENARIOS: { name: 'healthy' | 'crash'; behaviour: SandboxEcsBehaviour }[] = [
  { name: 'healthy', behaviour: 'healthy' },
  { name: 'crash', behaviour: 'crash' },
];
const WAITERS = [
  { name: 'records', useDeploymentRecords: true },
  { name: 'primary', useDeploymentRecords: false },
] as const;
const SOURCE_TAG = 'v1.0.0-rc.1';

/** The use case's log, on stderr (the relay shows it), so stdout keeps only the figures. */
const log: Logger = {
  debug: () => undefined,
  info: (m) => process.stderr.write(`  ${m}\n`),
  warning: (m) => process.stderr.write(`  warning: ${m}\n`),
  error: (m) => process.stderr.write(`  error: ${m}\n`),
  group: (_name, work) => work(),
};

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  const sandbox = await ensureSandbox();
  const { basic } = sandbox.registries;
  const aws = createSandboxAwsClients(sandbox.aws.directUrl);
  const run = Date.now().toString(36);
  const cluster = await createThrowawayCluster(aws, sandbox.seeded, `bench-promotion-${run}`);
  const registry = connectBasicRegistry(sandbox);
  // The images are named by the host ECS resolves; the promotion writes to the same registry, directly.
  const store = await createManifestStore({
    host: basic.directHost,
    username: basic.username,
    password: basic.password,
    maskSecret: () => undefined,
  });
  const times: Record<string, number[]> = {};
  try {
    for (let round = 0; round < rounds; round++) {
      for (const scenario of SCENARIOS) {
        for (const waiter of WAITERS) {
          const namespace = `bench-promotion-${run}/r${round}-${scenario.name}-${waiter.name}`;
          const repository = `${namespace}/api`;
          const service = `bench-${run}-r${round}-${scenario.name}-${waiter.name}`;
          await pushBehaviourImage(registry, repository, 'prod', 'healthy', { seed: `${namespace} before` });
          await pushBehaviourImage(registry, repository, SOURCE_TAG, scenario.behaviour, { seed: namespace });
          await createSettledService(aws, cluster.name, service, `${basic.host}/${repository}:prod`);

          const started = performance.now();
          const result: PromoteReleaseResult = await promoteRelease(
            {
              images: resolveServiceImages(['api'], '{registry}/{service}', `${basic.host}/${namespace}`),
              sourceTag: SOURCE_TAG,
              targets: readPromotionTargets(['prod'], SOURCE_TAG),
              dryRun: false,
              rollout: {
                ecs: aws.ecs,
                cluster: cluster.name,
                services: [['api', service]],
                timeoutMs: 600_000,
                verifyRunningDigest: true,
                rollbackOnFailure: true,
                useDeploymentRecords: waiter.useDeploymentRecords,
              },
            },
            { storeFor: async () => store, clock: systemClock, log },
          );
          const wallMs = performance.now() - started;
          const expected = scenario.name === 'healthy' ? result.deployed : result.rolledBack;
          if (!expected) {
            throw new Error(
              `${scenario.name} promotion judged by ${waiter.name} ended unexpectedly: ${result.failure}`,
            );
          }
          (times[`${scenario.name}/${waiter.name}`] ??= []).push(wallMs);
          process.stderr.write(
            `round ${round + 1}: ${scenario.name}, ${waiter.name} waiter: ${wallMs.toFixed(0)} ms (${result.rollout[0]?.judgedBy})\n`,
          );
          await deleteService(aws, cluster.name, service);
        }
      }
    }
    const medians = Object.fromEntries(Object.entries(times).map(([key, values]) => [key, Math.round(median(values))]));
    console.log(`promotion wall time on the sandbox ECS, median of ${rounds} interleaved round(s)`);
    for (const [key, values] of Object.entries(times)) {
      console.log(`  ${key.padEnd(16)}: ${medians[key]} ms (runs ${values.map((v) => v.toFixed(0)).join(', ')} ms)`);
    }
    console.log(
      `bench-result ${JSON.stringify({
        bench: 'promotion-wait',
        rounds,
        medianMs: medians,
        runsMs: Object.fromEntries(Object.entries(times).map(([key, values]) => [key, values.map(Math.round)])),
      })}`,
    );
  } finally {
    await deleteClusterWithInstance(aws, cluster).catch((error: unknown) =>
      process.stderr.write(`could not delete ${cluster.name}: ${String(error)}\n`),
    );
    destroySandboxAwsClients(aws);
  }
}

await main();
