import { code } from '../action/summary.js';
import { COMMAND_NAMES, type CommandName } from '../chatops/command.js';

const USAGE: Record<CommandName, { args: string; what: string }> = {
  deploy: { args: ' [sha]', what: 'deploy the head of this pull request; with a sha, only while it is the head' },
  restart: { args: '', what: 'restart the services of this preview' },
  cleanup: { args: '', what: 'delete this preview now' },
  extend: { args: ' <duration>', what: 'keep this preview longer, e.g. 2h, 1d or 90m' },
  help: { args: '', what: 'list these commands' },
};

/** A markdown list of the enabled commands with their arguments, for the comment template and `/help`. */
export function renderCommandHelp(prefix = '/', commands: readonly CommandName[] = COMMAND_NAMES): string {
  return (
    commands.map((name) => `- ${code(`${prefix}${name}${USAGE[name].args}`)}: ${USAGE[name].what}`).join('\n') + '\n'
  );
}
