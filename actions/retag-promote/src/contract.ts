import { defineOutputs, input } from '@preview-actions/core/action';

/** The inputs of retag-promote, as action.yml declares them. */
export const inputs = {
  services: input.list({ required: true, description: 'Services to promote, one name a line.' }),
  image: input.string({
    default: '{registry}/{service}',
    description: 'Image name pattern; {registry} and {service} are replaced.',
  }),
  registry: input.string({
    description:
      'Registry host and optional path, e.g. ghcr.io/my-org or 123456789012.dkr.ecr.eu-west-1.amazonaws.com.',
  }),
  'source-tag': input.string({
    required: true,
    description: "The tag to promote, e.g. classify-tag's latest-rc, or an earlier version to roll back to.",
  }),
  'target-tags': input.list({
    required: true,
    description:
      'Tags that must point at the exact source image, one a line, e.g. v1.2.3 and prod. Version tags never move; environment tags may.',
  }),
  'registry-type': input.choice({
    values: ['auto', 'ecr', 'oci'] as const,
    default: 'auto',
    description: 'auto (ECR for *.dkr.ecr.*.amazonaws.com hosts), ecr or oci.',
  }),
  'registry-username': input.string({
    description:
      'Registry user; without it the docker config (docker/login-action) or the AWS credential chain (ECR) is used.',
  }),
  'registry-password': input.string({ description: 'Registry password or token.' }),
  cluster: input.string({ description: 'ECS cluster to redeploy after the promotion; empty to skip ECS.' }),
  'ecs-services': input.pairs({
    description:
      'service=ecs-service-name lines: which ECS service runs which image; one image may run as several ECS services, one line each.',
  }),
  'wait-timeout': input.integer({
    default: '900',
    min: 30,
    max: 7200,
    description: 'Seconds to wait for ECS to run the promoted image.',
  }),
  'verify-running-digest': input.boolean({
    default: 'true',
    description: 'Require the running tasks to run exactly the promoted digest.',
  }),
  'rollback-on-failure': input.boolean({
    default: 'true',
    description: 'When ECS fails, point the environment tags back at their previous digest, redeploy, and fail.',
  }),
  'dry-run': input.boolean({ default: 'false', description: 'Plan and check everything, write nothing.' }),
  'notify-webhook': input.string({
    description:
      'Optional webhook URL told about the result (success and every failure); a secret, never printed; a failing webhook only warns.',
  }),
  'notify-format': input.choice({
    values: ['auto', 'teams', 'slack', 'json'] as const,
    default: 'auto',
    description:
      'Payload of notify-webhook: teams (Workflows Adaptive Card), slack (text and blocks), json (the generic schema in the README); auto picks by the URL host.',
  }),
  'github-token': input.string({
    default: '${{ github.token }}',
    description: 'Token used to record a GitHub Deployment per promotion (deployments: write).',
  }),
};

/** The outputs of retag-promote. */
export const outputs = defineOutputs({
  digests: 'JSON object: service → promoted digest.',
  'previous-digests': 'JSON object: service → { tag → digest it held before } for environment tags that moved.',
  deployed: "'true' when ECS runs the promoted images, 'false' when ECS was skipped or failed.",
  'rolled-back': "'true' when a failed deployment was rolled back to the previous digests.",
  'ecs-outcomes':
    'JSON array: per ECS service { service, state, reason, judgedBy, serviceDeploymentArn?, deploymentStatus? } of the deployment (and of the rollback, with rollback: true).',
});
