import { defineOutputs, input } from '@preview-actions/core/action';
import { COMMAND_NAMES } from '@preview-actions/core/chatops';
import { DEFAULT_ALLOWED_ROLES } from '@preview-actions/core/github';

/** The inputs of pr-command, as action.yml declares them. */
export const inputs = {
  'github-token': input.string({
    default: '${{ github.token }}',
    description: 'Token that reads permissions and answers (pull-requests: write, issues: write, checks: write).',
  }),
  'command-prefix': input.string({ default: '/', description: 'What starts a command: 1-8 punctuation characters.' }),
  commands: input.string({
    default: COMMAND_NAMES.join(','),
    description: `The commands accepted, comma separated: some of ${COMMAND_NAMES.join(', ')}.`,
  }),
  'allowed-permissions': input.string({
    default: DEFAULT_ALLOWED_ROLES.join(','),
    description: 'Repository roles whose members may run commands, comma separated (role_name or permission).',
  }),
  'allow-forks': input.boolean({
    default: 'false',
    description: 'Allow /deploy, /restart and /extend on pull requests from forks.',
  }),
  'check-name': input.string({
    default: 'preview-actions: command',
    maxLength: 100,
    description: "Name of the check run on the head commit that carries the result; '' for none.",
  }),
  'max-extend': input.string({
    default: '7d',
    description: 'How far ahead of now /extend may move the expiry, e.g. 72h or 7d.',
  }),
};

/** The outputs of pr-command. */
export const outputs = defineOutputs({
  command: 'The command given (deploy, restart, cleanup, extend, help); empty when the comment was ignored.',
  args: 'Its validated argument: the sha of /deploy <sha>, the duration of /extend; empty otherwise.',
  allowed: "'true' when later jobs may act on the command.",
  reason: 'Why it was allowed, denied or ignored.',
  'head-sha': 'The pull request head the command is pinned to (as it was when the comment was made).',
  'pr-number': 'The pull request number.',
  'expires-at': 'For an allowed /extend: the new expiry (ISO-8601), counted from now and capped by max-extend.',
  status: 'ignored, denied, failed or allowed.',
});
