import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ConfigurationError } from '../action/errors.js';
import { isElbNotFound } from './elb-errors.js';

/** The load balancer a listener belongs to, as far as previews care. */
export interface ListenerLoadBalancer {
  arn: string;
  dnsName: string;
  vpcId: string;
}

/**
 * Reads the load balancer behind `listenerArn`.
 * @throws ConfigurationError when the listener does not exist (a wrong or stale listener-arn).
 */
export async function readListenerLoadBalancer(
  elb: ElasticLoadBalancingV2Client,
  listenerArn: string,
): Promise<ListenerLoadBalancer> {
  const { Listeners = [] } = await elb
    .send(new DescribeListenersCommand({ ListenerArns: [listenerArn] }))
    .catch((error: unknown) => {
      if (!isElbNotFound(error)) throw error;
      throw new ConfigurationError(
        `listener-arn: listener ${listenerArn} does not exist in this region and account: copy the ARN of the shared ALB's listener into the environment file`,
      );
    });
  const loadBalancerArn = Listeners[0]?.LoadBalancerArn;
  if (!loadBalancerArn) {
    throw new ConfigurationError(
      `Listener ${listenerArn} has no load balancer: check listener-arn in the environment file`,
    );
  }
  const { LoadBalancers = [] } = await elb.send(
    new DescribeLoadBalancersCommand({ LoadBalancerArns: [loadBalancerArn] }),
  );
  const balancer = LoadBalancers[0];
  if (!balancer?.DNSName) throw new Error(`Load balancer ${loadBalancerArn} reported no DNS name`);
  return { arn: loadBalancerArn, dnsName: balancer.DNSName, vpcId: balancer.VpcId ?? '' };
}

/** The DNS name of the load balancer a listener belongs to: what preview CNAMEs point at. */
export async function readListenerDnsName(elb: ElasticLoadBalancingV2Client, listenerArn: string): Promise<string> {
  return (await readListenerLoadBalancer(elb, listenerArn)).dnsName;
}

/**
 * Checks that the listener exists and that its load balancer is in `vpcId`, where the preview's target groups
 * are made: a target group in another VPC cannot be attached to its rules, which would fail after the target
 * groups exist.
 * @throws ConfigurationError naming both VPCs and the field to fix.
 */
export async function checkListenerVpc(
  elb: ElasticLoadBalancingV2Client,
  listenerArn: string,
  vpcId: string,
): Promise<void> {
  const balancer = await readListenerLoadBalancer(elb, listenerArn);
  if (balancer.vpcId && balancer.vpcId !== vpcId) {
    throw new ConfigurationError(
      `vpc-id: the environment file says ${vpcId}, but listener ${listenerArn} belongs to a load balancer in ${balancer.vpcId}: set vpc-id to ${balancer.vpcId} or use a listener in ${vpcId}`,
    );
  }
}
