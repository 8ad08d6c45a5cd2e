import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../harness/paths.js';

/**
 * Jest stand-in for the JSON schemas @actions/workflow-parser imports without an import attribute (Jest warns that
 * this becomes an error in its next major); jest.config.js maps those two imports here, tsx and Node read them
 * as the package ships them.
 */
const schemaPath = (name: string) => join(repoRoot, 'node_modules/@actions/workflow-parser/dist', name);

export const workflowSchema: unknown = JSON.parse(readFileSync(schemaPath('workflow-v1.0.min.json'), 'utf8'));
export const actionSchema: unknown = JSON.parse(readFileSync(schemaPath('action-v1.0.min.json'), 'utf8'));
