import { type ActionIO, writeOutputs } from '@preview-actions/core/action';
import type { outputs } from './contract.js';

type Outputs = Record<keyof typeof outputs, object | string>;

/** Sets every output, the ones a mode does not produce empty ([] or ''), so later steps can always parse them. */
export function writeModeOutputs(io: ActionIO, values: Partial<Outputs>): void {
  const empty: Outputs = {
    deleted: [],
    hibernated: [],
    skipped: [],
    orphans: [],
    failed: [],
    missing: [],
    'expires-at': '',
    restarted: [],
  };
  writeOutputs(io, { ...empty, ...values });
}
