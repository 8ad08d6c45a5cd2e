import { defineOutputs, input } from '@preview-actions/core/action';

/** The inputs of cleanup-stale, as action.yml declares them. */
export const inputs = {
  'pr-number': input.string({
    pattern: /^[1-9]\d{0,9}$/,
    patternHint: 'a pull request number',
    description:
      'Tear down this pull request’s environment (on PR close, or /cleanup). Empty: sweep every environment.',
  }),
  extend: input.string({
    description:
      'With pr-number: instead of tearing down, move that environment’s expiry (or, without ttl-hours, its protection from the idle sweep) this much later (90m, 2h, 1d), as /extend asks.',
  }),
  restart: input.boolean({
    default: 'false',
    description:
      'With pr-number: instead of tearing down, restart that environment’s running services and wait until they are up again, as /restart asks.',
  }),
  'restart-timeout-minutes': input.integer({
    default: '15',
    min: 1,
    max: 120,
    description: 'How long restart waits for the new tasks before it fails.',
  }),
  'max-extend': input.string({
    default: '7d',
    description: 'How far ahead of now extend may move the expiry, e.g. 72h or 7d.',
  }),
  cluster: input.string({ required: true, description: 'ECS cluster the preview services run in.' }),
  'listener-arn': input.string({
    description: 'ARN of the shared ALB listener whose rules route previews; empty: no listener rules are looked for.',
  }),
  'name-prefix': input.string({
    pattern: /^[a-z](?:[a-z0-9-]{0,10}[a-z0-9])?$/,
    patternHint: "the environment file's name-prefix, e.g. shop",
    description:
      "The environment file's name-prefix, if it sets one: only log streams, task-definition families and Redis keys of {prefix}-pr-{N} are removed.",
  }),
  'log-group': input.string({
    description: 'CloudWatch log group holding the previews’ `pr-{N}/` log streams; empty: logs are left alone.',
  }),
  'cloudflare-zone-id': input.string({
    description: 'Cloudflare zone of the preview DNS records; empty: found from preview-domain.',
  }),
  'preview-domain': input.string({
    description:
      'Domain previews live under (pr-{N}.<domain>), to find the Cloudflare zone; with neither, DNS is left alone.',
  }),
  'cloudflare-api-token': input.string({
    description: 'Cloudflare API token with DNS:Edit on the zone (or set CLOUDFLARE_API_TOKEN).',
  }),
  'redis-url': input.string({
    description:
      'Redis URL (redis:// or rediss://) whose `pr-{N}*` keys are removed with the environment; empty: Redis is left alone.',
  }),
  'max-idle-hours': input.integer({
    default: '24',
    min: 1,
    max: 8760,
    description:
      'Hours without activity before an open PR’s environment is hibernated, for environments without ttl-hours (those are hibernated once their expiry passes, however active).',
  }),
  'hibernate-grace-hours': input.integer({
    default: '48',
    min: 0,
    max: 8760,
    description: 'Hours a hibernated environment waits before it is deleted.',
  }),
  'expiry-warning-hours': input.integer({
    default: '2',
    min: 0,
    max: 720,
    description:
      'Hours before a real expiry (the environment file’s ttl-hours) that the sweep comments on the PR, so it can be extended; 0: no warning.',
  }),
  'keep-label': input.string({
    default: 'preview:keep',
    description: 'A PR with this label keeps its environment however idle.',
  }),
  'use-log-activity': input.boolean({
    default: 'false',
    description: 'Count the last log event of the environment as activity.',
  }),
  'max-deletions': input.integer({
    default: '25',
    min: 0,
    max: 10000,
    description: 'When the plan deletes more environments than this, abort before changing anything.',
  }),
  'dry-run': input.boolean({ default: 'false', description: 'Print the full plan and change nothing.' }),
  notify: input.boolean({
    default: 'true',
    description:
      'Comment on open PRs whose environment was hibernated or deleted for inactivity or expiry, or whose expiry is near.',
  }),
  'github-token': input.string({
    default: '${{ github.token }}',
    description: 'Token to read PR states, comment, and retire deployments (pull-requests: write, deployments: write).',
  }),
};

/** The outputs of cleanup-stale. */
export const outputs = defineOutputs({
  deleted: 'JSON array of { pr, reason } for environments deleted (in a dry run: that would be).',
  hibernated: 'JSON array of { pr, reason, deleteAfter } for environments hibernated (in a dry run: that would be).',
  skipped: 'JSON array of { pr, reason } for environments left alone.',
  orphans: 'JSON array of { kind, name, arn } for resources named like previews but without our tags; never touched.',
  failed: 'JSON array of { pr, action, step, error } for environments the run could not finish.',
  missing:
    'JSON array of PR numbers GitHub says do not exist: their environments are left alone until torn down with pr-number.',
  'expires-at': 'With extend: the environment’s new expiry (ISO-8601), capped by max-extend.',
  restarted: 'With restart: JSON array of { service, state, reason }, state being stable, failed or timeout.',
});
