import { defineOutputs, input } from '@preview-actions/core/action';

/** The inputs of deploy-pr-env, as action.yml declares them. */
export const inputs = {
  'environment-file': input.string({
    default: '.github/preview.yml',
    description: 'The preview environment file in the repository (domain, cluster, listener, services).',
  }),
  'pr-number': input.string({
    pattern: /^[1-9][0-9]{0,9}$/,
    patternHint: 'a pull request number',
    description: 'The pull request; empty to take it from the pull_request or issue_comment event.',
  }),
  sha: input.string({
    pattern: /^[0-9a-f]{40}$/,
    patternHint: 'a full commit sha of 40 lower-case hex digits',
    description:
      "The commit to deploy: each image's tag becomes sha-<sha>, pinned to its digest, and the GitHub Deployment is recorded on it. Empty: the pull request's images as the event names them.",
  }),
  images: input.string({
    description:
      "Optional JSON of build-double-tag's images output (service → { digest }), to pin the exact images built.",
  }),
  'dns-mode': input.choice({
    values: ['record', 'wildcard', 'none'] as const,
    default: 'record',
    description:
      'record: upsert a proxied CNAME pr-{N}.<domain>; wildcard: a *.<domain> record already exists; none: no DNS.',
  }),
  'cloudflare-api-token': input.string({
    description: 'Cloudflare API token with DNS edit on the zone (record mode).',
  }),
  'cloudflare-zone-id': input.string({ description: 'Cloudflare zone id; empty to find the zone of the domain.' }),
  'alb-dns-name': input.string({
    description: "The ALB's DNS name for the CNAME; empty to read it from the listener.",
  }),
  'basic-auth': input.boolean({
    default: 'false',
    description: 'Give the containers per-environment basic-auth credentials (BASIC_AUTH_USER / BASIC_AUTH_PASSWORD).',
  }),
  'basic-auth-secret': input.string({ description: 'Secret the basic-auth password is derived from (stable per PR).' }),
  'wait-timeout': input.integer({
    default: '900',
    min: 30,
    max: 7200,
    description: 'Seconds to wait for every ECS service to become stable.',
  }),
  'health-timeout': input.integer({
    default: '300',
    min: 0,
    max: 3600,
    description: 'Seconds to wait for healthy ALB targets after ECS is stable; 0 skips it.',
  }),
  'price-vcpu-hour': input.string({
    default: '0.04048',
    pattern: /^\d{1,4}(\.\d{1,8})?$/,
    patternHint: 'a price in USD such as 0.04048',
    description: 'USD per vCPU-hour for the cost estimate (Fargate us-east-1 by default).',
  }),
  'price-gb-hour': input.string({
    default: '0.004445',
    pattern: /^\d{1,4}(\.\d{1,8})?$/,
    patternHint: 'a price in USD such as 0.004445',
    description: 'USD per GB-hour for the cost estimate.',
  }),
  'registry-username': input.string({
    description: 'Registry user for resolving image digests; else the docker config or ECR.',
  }),
  'registry-password': input.string({ description: 'Registry password or token.' }),
  'github-deployment': input.boolean({
    default: 'true',
    description: 'Record a GitHub Deployment for environment pr-{N}, so the PR shows "View deployment".',
  }),
  'github-token': input.string({
    default: '${{ github.token }}',
    description: 'Token for the GitHub Deployment (deployments: write).',
  }),
};

/** The outputs of deploy-pr-env. */
export const outputs = defineOutputs({
  environment: 'The environment name, pr-{N}.',
  url: 'The preview URL, https://pr-{N}.<domain>/.',
  urls: 'JSON object: routed service → its URL.',
  services: 'JSON object: service → { service-name, image, task-definition, action }.',
  'expires-at':
    'When the sweep hibernates the environment (ISO 8601): ttl-hours from this deploy, or a later /extend; empty when the environment file sets no ttl-hours (no expiry by time).',
  'estimated-cost-per-day': 'Estimated USD per day for the environment.',
});
