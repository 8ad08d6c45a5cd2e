/**
 * What the release and deploy-form scenarios share: throwaway test and production clusters with api/worker
 * services (task definitions on the sandbox registry's :test / :prod, images that exist and are healthy), the
 * roles of docs/iam/roles.json naming those clusters, the consumer repository and its tags in the GitHub
 * stand-in, and a world whose variables map the templates' registry, builder and clusters onto the sandbox.
 */
import {
  CreateServiceCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  ListServiceDeploymentsCommand,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { OciClient } from '@preview-actions/core/registry';
import { createGitHubAdminClient } from '../standins/github/admin-client.js';
import { createSandboxAwsClients, destroySandboxAwsClients, type SandboxAwsClients } from '../sandbox/aws-clients.js';
import { pushBehaviourImage, type SandboxEcsBehaviour } from '../sandbox/behaviour-image.js';
import type { SandboxEndpoints } from '../sandbox/endpoints.js';
import { createThrowawayCluster, deleteClusterWithInstance } from '../sandbox/seed-aws.js';
import { closeIamProxies } from '../runner/iam/iam-proxy.js';
import { registerDocumentedRoles, resetRoleBindings } from '../runner/iam/sandbox-roles.js';
import { createConsumerRepo, type ConsumerRepo, type ConsumerRepoOptions } from '../runner/standins/consumer-repo.js';
import { useConsumerRepo } from '../runner/standins/actions-checkout.js';
import { createSandboxWorld } from '../runner/sandbox-world.js';
import type { RunRecord } from '../runner/run-result.js';
import type { World, WorldOptions } from '../runner/world.js';

export const SERVICES = ['api', 'worker'] as const;

/** One scenario's release set-up on the sandbox; {@link destroy} removes what it made. */
export interface ReleaseScenario {
  owner: string;
  name: string;
  /** Registry path images go to (RELEASE_REGISTRY), `<basic host>/<namespace>`. */
  namespace: string;
  repo: ConsumerRepo;
  clusters: { test: string; prod: string };
  /** Digest per `service:envTag` the services ran before the scenario. */
  initial: Record<string, string>;
  aws: SandboxAwsClients;
  oci: OciClient;
  /** A world on the scenario's repository with its variables, over `options`. */
  world(options?: Partial<WorldOptions>): Promise<World>;
  /** The digest a tag of a service resolves to, or undefined. */
  digestOf(service: string, tag: string): Promise<string | undefined>;
  /** The image digest of the newest deployment's service revision of `<service>-<suffix>` in that cluster. */
  runningDigest(environment: 'test' | 'prod', service: string): Promise<string | undefined>;
  /** Pushes an image as `service:tag` for every service (healthy unless `behaviours` says); returns the digests by service. */
  pushVersion(tag: string, behaviours?: Partial<Record<string, SandboxEcsBehaviour>>): Promise<Record<string, string>>;
  destroy(): Promise<void>;
}

/** A run that did not succeed, as one line: the refusal or each failed job's and step's error. */
export function describeFailure(run: RunRecord): string {
  const jobs = run.jobs
    .filter((job) => job.result !== 'success' && job.result !== 'skipped')
    .map((job) => `${job.id}: ${job.error ?? job.steps.find((s) => s.error)?.error ?? job.result}`);
  return [run.error, ...jobs].filter(Boolean).join('; ');
}

/** Makes the clusters, services, roles, repository and tags of one scenario (`label` keeps names apart). */
export async function createReleaseScenario(
  sandbox: SandboxEndpoints,
  label: string,
  repoOptions: ConsumerRepoOptions,
): Promise<ReleaseScenario> {
  const id = `${process.pid.toString(36)}${Date.now().toString(36).slice(-5)}`;
  const owner = 'release-org';
  const name = `${label}-${id}`;
  const prefix = `${label}-${id}`;
  const { basic } = sandbox.registries;
  const aws = createSandboxAwsClients(sandbox.aws.directUrl);
  const oci = new OciClient({
    host: basic.directHost,
    credentials: { username: basic.username, password: basic.password },
    maskSecret: () => undefined,
  });
  // the dev host's compose file pulls the release images from where this scenario pushes them
  const repo = createConsumerRepo({
    ...repoOptions,
    values: { __RELEASE_REGISTRY__: `${basic.host}/${prefix}`, ...repoOptions.values },
  });
  useConsumerRepo(repo);
  const test = await createThrowawayCluster(aws, sandbox.seeded, `${prefix}-test`);
  const prod = await createThrowawayCluster(aws, sandbox.seeded, `${prefix}-prod`);
  registerDocumentedRoles({ TEST_CLUSTER: test.name, PRODUCTION_CLUSTER: prod.name });
  const clusterOf = { test: test.name, prod: prod.name };

  const pushVersion = async (tag: string, behaviours: Partial<Record<string, SandboxEcsBehaviour>> = {}) => {
    const digests: Record<string, string> = {};
    for (const service of SERVICES) {
      const behaviour = behaviours[service] ?? 'healthy';
      const image = await pushBehaviourImage({ client: oci, host: basic.host }, `${prefix}/${service}`, tag, behaviour);
      digests[service] = image.digest;
    }
    return digests;
  };
  const initial: Record<string, string> = {};
  for (const envTag of ['test', 'prod'] as const) {
    const digests = await pushVersion(envTag);
    for (const service of SERVICES) {
      initial[`${service}:${envTag}`] = digests[service]!;
      const { taskDefinition } = await aws.ecs.send(
        new RegisterTaskDefinitionCommand({
          family: `${prefix}-${service}-${envTag}`,
          requiresCompatibilities: ['EC2'],
          containerDefinitions: [
            { name: 'app', image: `${basic.host}/${prefix}/${service}:${envTag}`, memory: 128, essential: true },
          ],
        }),
      );
      await aws.ecs.send(
        new CreateServiceCommand({
          cluster: clusterOf[envTag],
          serviceName: `${service}-${envTag}`,
          taskDefinition: taskDefinition!.taskDefinitionArn,
          desiredCount: 1,
          launchType: 'EC2',
        }),
      );
    }
  }
  const admin = createGitHubAdminClient(sandbox.github.adminUrl);
  await admin.call('createRepository', { owner, name });
  for (const [tag, sha] of Object.entries(repo.tags))
    await admin.call('createTag', { repo: `${owner}/${name}`, tag, sha });

  return {
    owner,
    name,
    namespace: `${basic.host}/${prefix}`,
    repo,
    clusters: clusterOf,
    initial,
    aws,
    oci,
    pushVersion,
    world: (options = {}) =>
      createSandboxWorld(sandbox, {
        ...options,
        repository: { owner, name },
        vars: {
          RELEASE_REGISTRY: `${basic.host}/${prefix}`,
          RELEASE_REGISTRY_HOST: basic.host,
          RELEASE_REGISTRY_USERNAME: basic.username,
          RELEASE_BUILDER: 'buildah',
          TEST_CLUSTER: test.name,
          PRODUCTION_CLUSTER: prod.name,
          ...options.vars,
        },
        secrets: { RELEASE_REGISTRY_PASSWORD: basic.password, ...options.secrets },
        // the runner machine's buildah set-up (a self-hosted runner without Docker)
        runnerEnv: { STORAGE_DRIVER: 'vfs', BUILDAH_ISOLATION: 'chroot', ...options.runnerEnv },
      }),
    digestOf: async (service, tag) => (await oci.headManifest(`${prefix}/${service}`, tag))?.digest,
    runningDigest: async (environment, service) => {
      const cluster = clusterOf[environment];
      const listed = await aws.ecs.send(
        new ListServiceDeploymentsCommand({ cluster, service: `${service}-${environment}` }),
      );
      const newest = listed.serviceDeployments?.[0]?.serviceDeploymentArn;
      if (!newest) return undefined;
      const described = await aws.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [newest] }));
      const revision = described.serviceDeployments?.[0]?.targetServiceRevision?.arn;
      const revisions = await aws.ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: [revision!] }));
      return revisions.serviceRevisions?.[0]?.containerImages?.[0]?.imageDigest;
    },
    destroy: async () => {
      resetRoleBindings();
      await closeIamProxies();
      await deleteClusterWithInstance(aws, test);
      await deleteClusterWithInstance(aws, prod);
      destroySandboxAwsClients(aws);
    },
  };
}
