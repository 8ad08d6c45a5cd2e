/**
 * Stands in for aws-actions/amazon-ecr-login (v2): asks ECR for an authorization token through the job's AWS
 * endpoint (after configure-aws-credentials, the IAM proxy: ecr:GetAuthorizationToken is evaluated against the
 * role's policies) and records the login for the registry ECR names, as the real action's `docker login` does.
 *
 * The sandbox's ECR is moto's, which has no registry to push to, so the image data plane of a scenario is the
 * sandbox's OCI registry "basic" (REGISTRY_BASIC_HOST): this stand-in also records the basic registry's
 * credentials in the job's auth file, so a push to the image repository the scenario configured
 * (`PREVIEW_IMAGE_REPOSITORY` = REGISTRY_BASIC_HOST/…) is authorized by this login step, as it would be by ECR.
 *
 * Inputs (the real action.yml's names): registries, mask-password, registry-type (`private` only), skip-logout
 * (accepted; there is no post step). Refused: http-proxy, registry-type=public.
 * Outputs: registry (when one registry), docker_username_<registry>, docker_password_<registry>.
 * Exports DOCKER_CONFIG / REGISTRY_AUTH_FILE (registry-auth.ts).
 */
import { ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { readSandboxEndpoints } from '../../sandbox/endpoints.js';
import type { Standin, StandinStep } from '../standin-api.js';
import { jobAuthFile, recordRegistryLogin } from './registry-auth.js';
import { failure, readBooleanInput, refuseUnimplementedInputs } from './standin-result.js';

const IMPLEMENTED = ['registries', 'mask-password', 'registry-type', 'skip-logout'] as const;

/** The sandbox registry standing in for ECR's data plane: from the job's env, else the running sandbox. */
function dataPlaneRegistry(step: StandinStep): { host: string; username: string; password: string } {
  const { REGISTRY_BASIC_HOST: host, REGISTRY_BASIC_USERNAME: username, REGISTRY_BASIC_PASSWORD: password } = step.env;
  if (host && username && password) return { host, username, password };
  return readSandboxEndpoints().registries.basic;
}

/** See the header. */
export const amazonEcrLogin: Standin = async (step) => {
  const refused = refuseUnimplementedInputs(step, 'aws-actions/amazon-ecr-login', IMPLEMENTED);
  if (refused) return refused;
  const registryType = step.inputs['registry-type'] || 'private';
  if (registryType !== 'private') {
    return failure(
      `amazon-ecr-login stand-in: input 'registry-type' is implemented for private only, got '${registryType}'`,
    );
  }
  let maskPassword: boolean;
  try {
    maskPassword = readBooleanInput(step, 'mask-password', true);
    readBooleanInput(step, 'skip-logout', false);
  } catch (error) {
    return failure((error as Error).message);
  }
  const { AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_ENDPOINT_URL } = step.env;
  const region = step.env.AWS_REGION || step.env.AWS_DEFAULT_REGION;
  if (!AWS_ACCESS_KEY_ID || !AWS_SECRET_ACCESS_KEY || !region) {
    return failure('Could not load credentials from any providers');
  }
  const auth = jobAuthFile(step);
  if (typeof auth === 'string') return failure(`amazon-ecr-login stand-in: ${auth}`);
  const registryIds = step.inputs.registries ? step.inputs.registries.split(',').map((id) => id.trim()) : undefined;
  const ecr = new ECRClient({
    region,
    maxAttempts: 1,
    ...(AWS_ENDPOINT_URL ? { endpoint: AWS_ENDPOINT_URL } : {}),
    credentials: {
      accessKeyId: AWS_ACCESS_KEY_ID,
      secretAccessKey: AWS_SECRET_ACCESS_KEY,
      ...(AWS_SESSION_TOKEN ? { sessionToken: AWS_SESSION_TOKEN } : {}),
    },
  });
  let data;
  try {
    data = (await ecr.send(new GetAuthorizationTokenCommand(registryIds ? { registryIds } : {}))).authorizationData;
  } catch (error) {
    return failure((error as Error).message);
  } finally {
    ecr.destroy();
  }
  if (!data || data.length === 0) return failure('Amazon ECR authorization token returned no data');
  const outputs: Record<string, string> = {};
  if (!maskPassword) {
    step.log(
      'Your docker password is not masked. See https://github.com/aws-actions/amazon-ecr-login#docker-credentials for more information.',
    );
  }
  for (const entry of data) {
    const [username = '', password = ''] = Buffer.from(entry.authorizationToken ?? '', 'base64')
      .toString('utf8')
      .split(':', 2);
    const registry = (entry.proxyEndpoint ?? '').replace(/^https?:\/\//, '');
    if (!username || !password || !registry) return failure('Amazon ECR authorization token is invalid');
    step.log(`Logging into registry ${registry}`);
    if (maskPassword) step.mask(password);
    recordRegistryLogin(step, auth, registry, username, password);
    if (data.length === 1) outputs.registry = registry;
    const suffix = registry.replace(/[^a-zA-Z0-9_]+/g, '_');
    outputs[`docker_username_${suffix}`] = username;
    outputs[`docker_password_${suffix}`] = password;
  }
  const plane = dataPlaneRegistry(step);
  recordRegistryLogin(step, auth, plane.host, plane.username, plane.password);
  step.log(`stand-in: ECR's image data plane in the sandbox is ${plane.host}; logged in there too`);
  return { outcome: 'success', outputs, exportEnv: auth.exportEnv };
};
