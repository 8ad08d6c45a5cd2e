import { defineOutputs, input } from '@preview-actions/core/action';

/** The inputs of deploy-compose, as action.yml declares them. */
export const inputs = {
  version: input.string({ required: true, description: 'The image tag to run, e.g. v1.2.3 or v1.2.3-rc.2.' }),
  'compose-file': input.string({ default: 'docker-compose.yml', description: 'The compose file.' }),
  'env-file': input.string({ default: '.env', description: 'The compose env file the version is pinned in.' }),
  variable: input.string({
    default: 'IMAGE_TAG',
    description: 'The env-file variable the compose file uses for the image tag.',
  }),
  'project-directory': input.string({ default: '.', description: 'The compose project directory.' }),
  'health-url': input.string({ description: 'URL polled after `up` until it answers 2xx; empty to skip.' }),
  'health-timeout': input.integer({
    default: '300',
    min: 5,
    max: 3600,
    description: 'Seconds to wait for the health URL.',
  }),
};

/** The outputs of deploy-compose. */
export const outputs = defineOutputs({
  'previous-version': 'The tag the env file held before, for a rollback.',
  healthy: "'true' once the health URL answered 2xx (or no URL was given).",
});
