import { defineOutputs, input } from '@preview-actions/core/action';

/** The inputs of scale-schedule, as action.yml declares them. */
export const inputs = {
  cluster: input.string({ required: true, description: 'ECS cluster the preview services run in.' }),
  timezone: input.string({ default: 'Africa/Cairo', description: 'IANA time zone the windows are written in.' }),
  'full-capacity-windows': input.list({
    default: 'mon-fri=09:00-04:00',
    description:
      'Full-capacity windows, one days=HH:MM-HH:MM a line (an end before the start runs past midnight). Outside them environments run reduced.',
  }),
  'reduced-profile': input.map({
    default: 'api=1,admin=0,celery-*=0',
    description:
      'Reduced desired count per service name (* matches anything), as name=count pairs; services not named keep their count.',
  }),
  mode: input.choice({
    values: ['auto', 'down', 'up'] as const,
    default: 'auto',
    description: 'auto follows the windows; down and up force a direction.',
  }),
  'dry-run': input.boolean({ default: 'false', description: 'Print what would change and change nothing.' }),
};

/** The outputs of scale-schedule. */
export const outputs = defineOutputs({
  direction: "'up' (full capacity) or 'down' (reduced profile): what this run applied.",
  changed: 'JSON array of { pr, service, from, to } for services whose desired count changed.',
  'daily-saving-usd': 'Estimated USD a day the reduced hours save on the changed services, two decimals.',
});
