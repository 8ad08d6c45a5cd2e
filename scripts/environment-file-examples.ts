/** The example environment files docs/preview-file.md shows in full (and a unit test parses). */
export const ENVIRONMENT_FILE_EXAMPLES = [
  {
    path: 'docs/examples/preview-ec2-bridge.yml',
    title: 'A monolith on EC2 with bridge networking (api, admin, three celery workers from one image)',
  },
  {
    path: 'docs/examples/preview-fargate.yml',
    title: 'The same monolith on Fargate (awsvpc, subnets, security groups, execution and task roles)',
  },
  { path: 'docs/examples/preview-single-web.yml', title: 'A single web service' },
] as const;
