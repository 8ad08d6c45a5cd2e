import { runAction } from '@preview-actions/core/action';
import { createAwsServices } from '@preview-actions/core/aws';
import { createActionContext } from '@preview-actions/core/runner';
import { run } from './main.js';

await runAction('deploy-pr-env', run, createActionContext(createAwsServices), {
  settingsFrom: 'the environment file (environment-file)',
});
