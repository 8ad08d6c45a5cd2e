import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ConfigurationError } from '../action/errors.js';

/** The DNS name of the load balancer a listener belongs to: what preview CNAMEs point at. */
export async function readListenerDnsName(elb: ElasticLoadBalancingV2Client, listenerArn: string): Promise<string> {
  const { Listeners = [] } = await elb.send(new DescribeListenersCommand({ ListenerArns: [listenerArn] }));
  const loadBalancerArn = Listeners[0]?.LoadBalancerArn;
  if (!loadBalancerArn) {
    throw new ConfigurationError(
      `Listener ${listenerArn} has no load balancer: check listener-arn in the environment file`,
    );
  }
  const { LoadBalancers = [] } = await elb.send(
    new DescribeLoadBalancersCommand({ LoadBalancerArns: [loadBalancerArn] }),
  );
  const name = LoadBalancers[0]?.DNSName;
  if (!name) throw new Error(`Load balancer ${loadBalancerArn} reported no DNS name`);
  return name;
}
