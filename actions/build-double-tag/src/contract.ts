import { defineOutputs, input } from '@preview-actions/core/action';

/** The inputs of build-double-tag, as action.yml declares them. */
export const inputs = {
  services: input.list({
    required: true,
    description: 'Services to build, one a line: name (context services/{name}) or name=context-dir.',
  }),
  image: input.string({
    default: '{registry}/{service}',
    description: 'Image name pattern; {registry} and {service} are replaced.',
  }),
  registry: input.string({ description: 'Registry host and optional path, e.g. ghcr.io/my-org.' }),
  'version-tag': input.string({
    required: true,
    description: "The version tag, e.g. classify-tag's tag output (v1.2.3-rc.1).",
  }),
  'env-tag': input.string({
    description: "The fixed environment tag ECS task definitions use, e.g. test; '' for none.",
  }),
  'extra-tags': input.list({
    default: 'sha-{sha7}',
    description:
      'More tags, one a line; {sha7}, {sha} and {version} are replaced. A sha tag makes re-runs reuse the build.',
  }),
  dockerfile: input.string({ default: 'Dockerfile', description: 'Dockerfile path, relative to each build context.' }),
  'build-args': input.map({ commas: false, description: 'KEY=value build arguments, one a line.' }),
  platforms: input.list({
    description:
      'Target platforms, one a line or comma-separated (e.g. linux/amd64,linux/arm64); empty for the builder default.',
  }),
  builder: input.choice({
    values: ['docker', 'buildah'] as const,
    default: 'docker',
    description: 'docker (buildx, as on GitHub-hosted runners) or buildah (daemonless).',
  }),
  push: input.boolean({ default: 'true', description: 'Push the images; false only builds.' }),
  immutable: input.choice({
    values: ['auto', 'true', 'false'] as const,
    default: 'auto',
    description: "Whether the registry refuses to overwrite tags; auto asks ECR and assumes 'false' elsewhere.",
  }),
  'registry-username': input.string({
    description:
      'Registry user; without it the docker config (docker/login-action) or an ECR token from the AWS credential chain is used.',
  }),
  'registry-password': input.string({ description: 'Registry password or token.' }),
};

/** The outputs of build-double-tag. */
export const outputs = defineOutputs({
  images: 'JSON object: service → { image, digest, tags, outcome (built, reused or not-pushed) }.',
});
