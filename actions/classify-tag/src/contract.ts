import { defineOutputs, input } from '@preview-actions/core/action';

/** The inputs of classify-tag, as action.yml declares them. */
export const inputs = {
  tag: input.string({
    default: '${{ github.ref_name }}',
    keepWhitespace: true,
    description: 'The tag to classify. Defaults to the pushed ref.',
  }),
  prefix: input.string({ default: 'v', description: "The tag prefix before the version, '' for none." }),
  'env-tags': input.map({
    default: 'rc=test,release=prod,snapshot=snapshot',
    keys: ['rc', 'release', 'snapshot'],
    description: 'The fixed environment image tag per kind, as kind=tag pairs (commas or lines).',
  }),
  'require-rc': input.boolean({
    default: 'true',
    description: 'A release tag must have at least one release candidate of the same version.',
  }),
  'require-same-commit': input.boolean({
    default: 'false',
    description: 'A release tag must point at the same commit as its newest release candidate.',
  }),
  'github-token': input.string({
    default: '${{ github.token }}',
    description: 'Token used to list the repository tags through the API (contents: read).',
  }),
};

/** The outputs of classify-tag. */
export const outputs = defineOutputs({
  kind: 'release, rc or snapshot.',
  'is-rc': "'true' for a release candidate.",
  'is-release': "'true' for a final release.",
  tag: 'The tag, with an rc suffix normalized to -rc.N.',
  version: 'The normalized version without prefix, e.g. 1.2.3-rc.4.',
  base: 'The release the tag belongs to, e.g. v1.2.3.',
  major: 'The major version number.',
  minor: 'The minor version number.',
  patch: 'The patch version number.',
  rc: 'The release-candidate number, empty for other kinds.',
  'env-tag': 'The fixed environment image tag for this kind, from env-tags.',
  'latest-rc': 'For a release: its newest release candidate (rc.10 beats rc.9).',
  'latest-rc-sha': 'For a release: the commit its newest release candidate points at.',
});
