/** The signing names of the services the sandbox seeds and the actions use. */
const seededServices = ['ec2', 'ecs', 'elasticloadbalancing', 'ecr', 'logs', 'acm'];

/**
 * moto imports a service's backend on that service's first request (up to ~0.7 s each), so `up` sends one
 * throwaway request per service while the AWS SDK is still loading, instead of paying for it during seeding.
 * moto routes by the service named in the credential scope; the request itself may fail.
 */
export async function warmMotoBackends(motoUrl: string, services: string[] = seededServices): Promise<void> {
  await Promise.all(
    services.map(async (service) => {
      const response = await fetch(`${motoUrl}/`, {
        method: 'POST',
        headers: {
          authorization: `AWS4-HMAC-SHA256 Credential=AKIASANDBOXWARMUP000/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'Action=WarmUp',
        signal: AbortSignal.timeout(30_000),
      }).catch(() => undefined);
      await response?.body?.cancel();
    }),
  );
}
