import { runAction } from '@preview-actions/core/action';
import { createAwsServices } from '@preview-actions/core/aws';
import { createActionContext } from '@preview-actions/core/runner';
import { runPost } from './finish-rollback.js';

await runAction('retag-promote (post)', runPost, createActionContext(createAwsServices));
