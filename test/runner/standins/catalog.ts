import type { Standin } from '../standin-api.js';
import { checkout } from './actions-checkout.js';
import { amazonEcrLogin } from './aws-actions-amazon-ecr-login.js';
import { configureAwsCredentials } from './aws-actions-configure-aws-credentials.js';
import { buildPush } from './docker-build-push-action.js';
import { dockerLogin } from './docker-login-action.js';
import { setupBuildx } from './docker-setup-buildx-action.js';

/**
 * The stand-ins for the third-party actions the shipped templates use, by `owner/name` (a `uses:` without its
 * `@ref`). The workflow runner looks each `uses:` up here; one missing is a template using an action nobody
 * stood in for yet.
 */
export const standinCatalog: Record<string, Standin> = {
  'actions/checkout': checkout,
  'aws-actions/configure-aws-credentials': configureAwsCredentials,
  'aws-actions/amazon-ecr-login': amazonEcrLogin,
  'docker/login-action': dockerLogin,
  'docker/setup-buildx-action': setupBuildx,
  'docker/build-push-action': buildPush,
};
