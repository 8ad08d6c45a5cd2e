/**
 * The JSON Schema of `.github/preview.yml`. Each leaf carries a `hint`: the line a user reads
 * when the value is wrong, so messages say what a good value looks like instead of ajv's wording.
 * `description`, `default` and `defaultText` (a default that depends on other keys, in words) are the
 * source of docs/preview-file.md (`pnpm sync-actions` writes it).
 * Unknown keys are refused everywhere, so a misspelt key fails loudly instead of being ignored.
 */
export const ENVIRONMENT_FILE_SCHEMA = {
  $id: 'https://preview-actions.dev/schemas/preview-environment.json',
  type: 'object',
  additionalProperties: false,
  required: ['domain', 'cluster', 'listener-arn', 'vpc-id', 'services'],
  properties: {
    domain: {
      description:
        'DNS zone the previews live under (on Cloudflare). Each pull request is served at `pr-<N>.<domain>`; the ALB listener needs a certificate for `*.<domain>`.',
      type: 'string',
      format: 'hostname',
      pattern: '\\.',
      maxLength: 200,
      hint: 'must be a DNS name such as preview.example.com; previews are served at pr-<N>.<domain>',
    },
    cluster: {
      description: 'ECS cluster (name or ARN) the preview services `pr-<N>-<service>` are created in.',
      type: 'string',
      pattern: '^[A-Za-z0-9_-]{1,255}$|^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\\d{12}:cluster/[A-Za-z0-9_-]{1,255}$',
      hint: 'must be an ECS cluster name or ARN, e.g. pr-environments',
    },
    'listener-arn': {
      description:
        'ARN of the HTTPS listener of the Application Load Balancer that serves previews. Each preview adds host-header rules to it.',
      type: 'string',
      pattern: '^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\\d{12}:listener/app/[^/]+/[0-9a-f]+/[0-9a-f]+$',
      hint: 'must be the ARN of an Application Load Balancer listener (arn:aws:elasticloadbalancing:<region>:<account>:listener/app/<alb>/<id>/<id>)',
    },
    'vpc-id': {
      description: 'VPC of the load balancer; the per-preview target groups are created in it.',
      type: 'string',
      pattern: '^vpc-[0-9a-f]{8,17}$',
      hint: 'must be a VPC id such as vpc-0123456789abcdef0',
    },
    'priority-range': {
      description:
        'Listener-rule priorities this repository may use, `low-high` inclusive. Give each repository sharing a listener its own range.',
      default: '1000-1999',
      type: 'string',
      pattern: '^\\d{1,5}-\\d{1,5}$',
      hint: 'must be two listener-rule priorities like 1000-1999 (from 1 to 50000, low first)',
    },
    'name-prefix': {
      type: 'string',
      pattern: '^[a-z](?:[a-z0-9-]{0,10}[a-z0-9])?$',
      description:
        'A per-repository prefix for every name the preview makes, so repositories sharing a cluster, log group and Redis never meet: `shop` gives services `shop-pr-{N}-{service}`, host `shop-pr-{N}.<domain>`, `REDIS_PREFIX` and log streams under it. Unset: `pr-{N}-{service}`.',
      hint: 'must be 1-12 lower-case letters, digits or inner hyphens starting with a letter, e.g. shop (names become shop-pr-{N}-{service})',
    },
    'ttl-hours': {
      type: 'integer',
      minimum: 1,
      maximum: 720,
      description:
        'Hours a preview lives after its last deploy: once they pass, the cleanup sweep hibernates it however active it is, warns the PR before (cleanup-stale `expiry-warning-hours`) and deletes it after `hibernate-grace-hours`. `/extend` adds more, and a redeploy keeps a longer expiry. Unset: no expiry by time; the sweep hibernates the preview after `max-idle-hours` without activity.',
      hint: 'must be a whole number of hours from 1 to 720',
    },
    'image-repository': {
      description:
        'Image repository (no tag) that fills `{repository}` in service images; required when any image uses it, as the default image does.',
      type: 'string',
      pattern: '^[A-Za-z0-9.-]+(:\\d+)?/[a-z0-9._/-]+$',
      hint: 'must be an image repository without tag, e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com/monolithic-api',
    },
    'task-definition-template': {
      description:
        'Repository-relative path of a base task-definition JSON with `${…}` placeholders, when the generated task definition is not enough.',
      type: 'string',
      pattern: '^[^/\\\\][^\\\\]*\\.json$',
      not: { pattern: '(^|/)\\.\\.(/|$)' },
      hint: 'must be a repository-relative path to a .json file without "..", e.g. .github/preview-task.json',
    },
    'execution-role-arn': {
      $ref: '#/$defs/roleArn',
      description:
        'Task execution role ECS uses to pull images, write logs and read `secrets`; required for FARGATE and for any service with secrets.',
    },
    'task-role-arn': {
      $ref: '#/$defs/roleArn',
      description: 'Role the application in the containers runs as (its own AWS permissions).',
    },
    'launch-type': {
      enum: ['EC2', 'FARGATE', 'EXTERNAL'],
      description: 'Where ECS runs the tasks, for every service that does not set its own `launch-type`.',
      default: 'EC2',
      hint: 'must be EC2, FARGATE or EXTERNAL',
    },
    subnets: {
      description: 'Subnets for `awsvpc` tasks (required when any service uses awsvpc, as FARGATE does).',
      default: [],
      type: 'array',
      minItems: 1,
      maxItems: 16,
      uniqueItems: true,
      items: {
        type: 'string',
        pattern: '^subnet-[0-9a-f]{8,17}$',
        hint: 'must be a subnet id such as subnet-0123456789abcdef0',
      },
      hint: 'must be a list of 1 to 16 distinct subnet ids',
    },
    'security-groups': {
      description:
        'Security groups for `awsvpc` tasks; they must accept traffic from the load balancer on each routed port.',
      default: [],
      type: 'array',
      minItems: 1,
      maxItems: 5,
      uniqueItems: true,
      items: {
        type: 'string',
        pattern: '^sg-[0-9a-f]{8,17}$',
        hint: 'must be a security group id such as sg-0123456789abcdef0',
      },
      hint: 'must be a list of 1 to 5 distinct security group ids',
    },
    services: {
      description: 'The containers of one preview; each becomes the ECS service `pr-<N>-<name>`.',
      type: 'array',
      minItems: 1,
      maxItems: 20,
      items: { $ref: '#/$defs/service' },
      hint: 'must be a list of 1 to 20 services',
    },
  },
  $defs: {
    roleArn: {
      type: 'string',
      pattern: '^arn:aws[a-z-]*:iam::\\d{12}:role/[A-Za-z0-9+=,.@_/-]+$',
      hint: 'must be an IAM role ARN such as arn:aws:iam::123456789012:role/preview-task',
    },
    service: {
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: {
        name: {
          description:
            'Service name: resources are named `pr-<N>-<name>`, and the containers see it as `SERVICE_TYPE`.',
          type: 'string',
          pattern: '^[a-z](?:[a-z0-9-]{0,30}[a-z0-9])?$',
          hint: 'must be 1 to 32 lower-case letters, digits or hyphens, starting with a letter and not ending with a hyphen',
        },
        image: {
          description:
            'Image reference. `{repository}` becomes `image-repository`, `{pr}` the pull request number, `{service}` the service name.',
          default: '{repository}:pr-{pr}',
          type: 'string',
          minLength: 1,
          maxLength: 400,
          hint: 'must be an image reference; {repository}, {pr} and {service} are filled in, e.g. {repository}:pr-{pr}',
        },
        command: {
          description: "The container's command, overriding the image's.",
          type: 'array',
          minItems: 1,
          items: { type: 'string', hint: 'must be a string' },
          hint: 'must be a list of strings, e.g. ["./run_api.sh"]',
        },
        port: {
          type: 'integer',
          minimum: 1,
          maximum: 65535,
          description: 'Port the container listens on; required when the service has `paths`.',
          hint: 'must be an integer from 1 to 65535',
        },
        paths: {
          description:
            'ALB path patterns routed to this service under `pr-<N>.<domain>`; a service without paths (a worker) gets no target group and no listener rule.',
          default: [],
          type: 'array',
          minItems: 1,
          maxItems: 4,
          uniqueItems: true,
          items: {
            type: 'string',
            pattern: '^/[A-Za-z0-9_\\-.$/~"\'@:+&*?]*$',
            maxLength: 128,
            hint: 'must be an ALB path pattern starting with /, e.g. /api/*',
          },
          hint: 'must be a list of 1 to 4 distinct path patterns (ALB allows 5 condition values per rule, one goes to the host)',
        },
        'health-check-path': {
          description: 'Path the load balancer health-checks on a routed service.',
          default: '/',
          type: 'string',
          pattern: '^/[\\x21-\\x7e]*$',
          maxLength: 1024,
          hint: 'must be a URL path starting with /, e.g. /api/health',
        },
        'health-check-command': {
          description:
            'Container health check (run with CMD-SHELL); none unless given, since not every image has curl.',
          type: 'string',
          minLength: 1,
          hint: 'must be a shell command run inside the container, e.g. curl -f http://localhost:8000/health || exit 1',
        },
        cpu: {
          description: 'CPU units for the task (1024 = 1 vCPU).',
          default: 256,
          type: 'integer',
          minimum: 128,
          maximum: 16384,
          hint: 'must be CPU units from 128 to 16384 (1024 = 1 vCPU)',
        },
        memory: {
          type: 'integer',
          minimum: 128,
          maximum: 122880,
          description: 'Memory for the task in MiB.',
          default: 512,
          hint: 'must be MiB from 128 to 122880',
        },
        'desired-count': {
          type: 'integer',
          minimum: 0,
          maximum: 10,
          description: 'Tasks to run (scale-schedule lowers it outside operating hours and restores it).',
          default: 1,
          hint: 'must be an integer from 0 to 10',
        },
        environment: {
          description:
            'Plain environment variables. `PR_NUMBER`, `SERVICE_TYPE` and `REDIS_PREFIX` are set for every service and may not be set here.',
          default: {},
          type: 'object',
          propertyNames: {
            pattern: '^[A-Za-z_][A-Za-z0-9_]*$',
            hint: 'names must be letters, digits and _ not starting with a digit',
          },
          additionalProperties: { type: ['string', 'number', 'boolean'], hint: 'must be a string, number or boolean' },
          hint: 'must be a map of NAME: value',
        },
        secrets: {
          description:
            'Variable name to the ARN of a Secrets Manager secret or SSM parameter, passed to ECS as `valueFrom` (never the value); needs `execution-role-arn`.',
          default: {},
          type: 'object',
          propertyNames: {
            pattern: '^[A-Za-z_][A-Za-z0-9_]*$',
            hint: 'names must be letters, digits and _ not starting with a digit',
          },
          additionalProperties: {
            type: 'string',
            pattern:
              '^arn:aws[a-z-]*:(secretsmanager:[a-z0-9-]+:\\d{12}:secret:[^\\s]+|ssm:[a-z0-9-]+:\\d{12}:parameter/[^\\s]+)$',
            hint: 'must be a Secrets Manager secret ARN or an SSM parameter ARN, never the secret itself',
          },
          hint: 'must be a map of NAME: secret-or-parameter ARN',
        },
        placement: {
          description: 'ECS placement constraints and strategy for EC2 tasks.',
          type: 'object',
          additionalProperties: false,
          properties: {
            constraints: {
              description:
                'Placement constraints, e.g. `{ type: memberOf, expression: "attribute:environment == previews" }`.',
              default: [],
              type: 'array',
              maxItems: 10,
              items: {
                type: 'object',
                additionalProperties: false,
                required: ['type'],
                properties: {
                  type: { enum: ['memberOf', 'distinctInstance'], hint: 'must be memberOf or distinctInstance' },
                  expression: {
                    type: 'string',
                    minLength: 1,
                    maxLength: 2000,
                    hint: 'must be a cluster query expression',
                  },
                },
              },
              hint: 'must be a list of up to 10 { type, expression } items',
            },
            strategy: {
              description: 'Placement strategy steps, e.g. `{ type: spread, field: instanceId }`.',
              default: [],
              type: 'array',
              maxItems: 5,
              items: {
                type: 'object',
                additionalProperties: false,
                required: ['type'],
                properties: {
                  type: { enum: ['random', 'spread', 'binpack'], hint: 'must be random, spread or binpack' },
                  field: { type: 'string', minLength: 1, hint: 'must be a field such as instanceId or memory' },
                },
              },
              hint: 'must be a list of up to 5 { type, field } items',
            },
          },
          hint: 'must be a map with constraints and/or strategy',
        },
        'launch-type': {
          enum: ['EC2', 'FARGATE', 'EXTERNAL'],
          description: 'Where ECS runs this service; overrides the top-level `launch-type`.',
          defaultText: 'the top-level `launch-type`',
          hint: 'must be EC2, FARGATE or EXTERNAL',
        },
        'network-mode': {
          enum: ['bridge', 'awsvpc', 'host'],
          description:
            'How the containers are networked: `bridge` shares the instance (dynamic host ports), `awsvpc` gives each task its own network interface in `subnets`. FARGATE needs awsvpc.',
          defaultText: '`awsvpc` for FARGATE, `bridge` otherwise',
          hint: 'must be bridge, awsvpc or host',
        },
      },
      hint: 'must be a map with at least a name',
    },
  },
  hint: 'must be a map with domain, cluster, listener-arn, vpc-id and services',
} as const;
