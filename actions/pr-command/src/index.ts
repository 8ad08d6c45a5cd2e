import { runAction } from '@preview-actions/core/action';
import { createActionContext } from '@preview-actions/core/runner';
import { run } from './main.js';

await runAction('pr-command', run, createActionContext());
