import type { EventsConfig } from '@actions/workflow-parser/model/workflow-template';
import type { QueuedEvent } from './event-trigger.js';

/**
 * The `inputs` context of a workflow_dispatch run: the payload's inputs over the declared defaults, booleans as
 * booleans; GitHub refuses a dispatch missing a required input or choosing an option not offered, so do we.
 * Other events have an empty inputs context.
 */
export function readDispatchInputs(events: EventsConfig, event: QueuedEvent): Record<string, unknown> {
  if (event.name !== 'workflow_dispatch') return {};
  const declared = events.workflow_dispatch?.inputs ?? {};
  const given = (event.payload.inputs ?? {}) as Record<string, unknown>;
  const inputs: Record<string, unknown> = {};
  for (const name of Object.keys(given)) {
    if (!(name in declared)) throw new Error(`workflow_dispatch: unexpected input '${name}' (HTTP 422 on GitHub)`);
  }
  for (const [name, config] of Object.entries(declared)) {
    const raw = given[name] ?? config.default;
    if (raw === undefined || raw === '') {
      if (config.required)
        throw new Error(`workflow_dispatch: required input '${name}' not provided (HTTP 422 on GitHub)`);
      inputs[name] = config.type === 'boolean' ? false : '';
      continue;
    }
    const value = String(raw);
    if (config.type === 'choice' && config.options && !config.options.includes(value)) {
      throw new Error(`workflow_dispatch: input '${name}' must be one of ${config.options.join(', ')}, got '${value}'`);
    }
    inputs[name] = config.type === 'boolean' ? value === 'true' : value;
  }
  return inputs;
}
