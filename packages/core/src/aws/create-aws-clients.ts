import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { ConfigurationError } from '../action/errors.js';

/** The AWS clients our use cases call; each is made on first use. */
export interface AwsClients {
  readonly region: string;
  readonly ecs: ECSClient;
  readonly elbv2: ElasticLoadBalancingV2Client;
  readonly ecr: ECRClient;
  readonly logs: CloudWatchLogsClient;
}

/** Services an action context gains when the action talks to AWS. */
export interface AwsServices {
  aws: AwsClients;
}

/** Options for {@link createAwsClients}. */
export interface CreateAwsClientsOptions {
  /**
   * Read the shared credentials and config files again instead of the copy the SDK cached for the
   * process at the first client: for a client built after the first one's credentials expired,
   * so a session a credential helper renewed in those files is seen.
   */
  rereadCredentials?: boolean;
}

/**
 * Builds lazily-made AWS clients from the environment. Credentials come from the default
 * chain (e.g. aws-actions/configure-aws-credentials with OIDC); the actions take no static
 * keys. AWS_ENDPOINT_URL is honoured by the SDK itself. Adaptive retries absorb throttling.
 * @throws ConfigurationError on first use when no region is set.
 */
export function createAwsClients(env: Readonly<NodeJS.ProcessEnv>, options: CreateAwsClientsOptions = {}): AwsClients {
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || '';
  const config = () => {
    if (!region) {
      throw new ConfigurationError(
        'No AWS region: set AWS_REGION, e.g. with aws-actions/configure-aws-credentials (aws-region: us-east-1)',
      );
    }
    return {
      region,
      maxAttempts: 6,
      retryMode: 'adaptive' as const,
      // the SDK's own default chain, told to skip its per-process cache of the shared files
      ...(options.rereadCredentials && { credentials: defaultProvider({ ignoreCache: true }) }),
    };
  };
  const made = new Map<string, unknown>();
  const lazy = <T>(name: string, make: () => T): T => {
    if (!made.has(name)) made.set(name, make());
    return made.get(name) as T;
  };
  return {
    region,
    get ecs() {
      return lazy('ecs', () => new ECSClient(config()));
    },
    get elbv2() {
      return lazy('elbv2', () => new ElasticLoadBalancingV2Client(config()));
    },
    get ecr() {
      return lazy('ecr', () => new ECRClient(config()));
    },
    get logs() {
      return lazy('logs', () => new CloudWatchLogsClient(config()));
    },
  };
}

/** The services factory an action entrypoint passes to createActionContext. */
export function createAwsServices(env: Readonly<NodeJS.ProcessEnv>): AwsServices {
  return { aws: createAwsClients(env) };
}
