import { defineOutputs, input } from '@preview-actions/core/action';
import { COMMAND_NAMES } from '@preview-actions/core/chatops';
import { ENVIRONMENT_STATUSES } from '@preview-actions/core/comment';

/** The inputs of post-pr-comment, as action.yml declares them. */
export const inputs = {
  'github-token': input.string({
    default: '${{ github.token }}',
    description: 'Token that writes the comment (pull-requests: write; issues: write).',
  }),
  'pr-number': input.string({
    default: '',
    pattern: /^[1-9][0-9]{0,9}$/,
    patternHint: 'a pull request number',
    description: 'The pull request to comment on. Defaults to the pull request or issue of the event.',
  }),
  header: input.string({
    default: 'preview',
    description: 'Names the sticky comment (marker <!-- preview-actions:{header} -->); one comment per header.',
  }),
  mode: input.choice({
    default: 'upsert',
    values: ['upsert', 'delete', 'hide'] as const,
    description: 'upsert writes the comment, delete removes it, hide minimizes it as outdated.',
  }),
  body: input.string({
    default: '',
    keepWhitespace: true,
    description: 'Markdown body. Leave body and body-file empty to use the environment template.',
  }),
  'body-file': input.string({
    default: '',
    description: 'Path of a file holding the markdown body, relative to the workspace.',
  }),
  status: input.string({
    default: '',
    pattern: new RegExp(`^(${ENVIRONMENT_STATUSES.join('|')})$`),
    patternHint: `one of ${ENVIRONMENT_STATUSES.join(', ')}`,
    description: `Template: the environment status, one of ${ENVIRONMENT_STATUSES.join(', ')}.`,
  }),
  urls: input.string({ default: '', description: "Template: deploy-pr-env's JSON output urls (service name to URL)." }),
  services: input.string({ default: '', description: "Template: deploy-pr-env's JSON output services." }),
  'expires-at': input.string({ default: '', description: "Template: deploy-pr-env's output expires-at (ISO-8601)." }),
  'estimated-cost-per-day': input.string({
    default: '',
    description: "Template: deploy-pr-env's output estimated-cost-per-day (US dollars).",
  }),
  'logs-url': input.string({ default: '', description: 'Template: a link to the logs of all services.' }),
  message: input.string({
    default: '',
    description: 'Template: a line shown under the status, e.g. why a deploy failed.',
  }),
  branch: input.string({
    default: '${{ github.head_ref }}',
    description: 'Template: the branch shown. Defaults to the pull request head branch.',
  }),
  sha: input.string({
    default: '',
    description: 'Template: the commit shown. Defaults to the pull request head of the event.',
  }),
  title: input.string({
    default: '',
    description: "Template: a title shown. Defaults to the event's pull request title.",
  }),
  'command-prefix': input.string({ default: '/', description: 'Template: the prefix of the commands listed.' }),
  commands: input.string({
    default: COMMAND_NAMES.join(','),
    description: 'Template: the commands listed, comma separated.',
  }),
  'basic-auth': input.string({
    default: '',
    description: 'Template: user:password of the environment basic auth. Shown only with credentials-in-comment.',
  }),
  'credentials-in-comment': input.boolean({
    default: 'false',
    description: 'Show basic-auth credentials in the comment. Otherwise they are redacted from any body.',
  }),
  'comment-author': input.string({
    default: '',
    description:
      'The login the token comments as (e.g. my-app[bot] for an app token). Found from the token when empty.',
  }),
};

/** The outputs of post-pr-comment. */
export const outputs = defineOutputs({
  result: 'created, updated, unchanged, stale (a newer run wrote it), deleted, hidden or absent.',
  'comment-id': 'The id of the sticky comment, empty when there is none.',
  'comment-url': 'The URL of the sticky comment, empty when there is none.',
  truncated: "'true' when the body was cut to GitHub's 65,536-character limit.",
});
