import {
  DescribeTargetHealthCommand,
  type ElasticLoadBalancingV2Client,
  type TargetHealthDescription,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Clock } from '../action/clock.js';
import type { Logger } from '../action/logger.js';
import { mapConcurrent } from '../util/map-concurrent.js';

/** How one target group looked at the last check. */
export interface TargetGroupHealth {
  targetGroupArn: string;
  healthy: number;
  /** `id:port state (reason)` of every target that is not healthy, for the job summary. */
  notHealthy: string[];
}

/** The outcome of {@link waitForHealthyTargets}. */
export interface TargetHealthResult {
  healthy: boolean;
  waitedMs: number;
  groups: TargetGroupHealth[];
}

/** Options of {@link waitForHealthyTargets}. */
export interface WaitForHealthyTargetsOptions {
  clock: Clock;
  logger?: Logger;
  /** Default 10 minutes. */
  timeoutMs?: number;
  /** Default 15 s (the ALB's own health checks run every 30 s by default). */
  pollMs?: number;
  /** Healthy targets each group needs; default 1. */
  minHealthy?: number;
}

function describeTarget(d: TargetHealthDescription): string {
  const health = d.TargetHealth;
  const reason = health?.Reason ? ` (${health.Reason}${health.Description ? `: ${health.Description}` : ''})` : '';
  return `${d.Target?.Id ?? '?'}:${d.Target?.Port ?? '?'} ${health?.State ?? 'unknown'}${reason}`;
}

async function readGroupHealth(elb: ElasticLoadBalancingV2Client, targetGroupArn: string): Promise<TargetGroupHealth> {
  const out = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }));
  const descriptions = out.TargetHealthDescriptions ?? [];
  const healthy = descriptions.filter((d) => d.TargetHealth?.State === 'healthy').length;
  const notHealthy = descriptions.filter((d) => d.TargetHealth?.State !== 'healthy').map(describeTarget);
  return { targetGroupArn, healthy, notHealthy };
}

/**
 * Polls DescribeTargetHealth until every target group has `minHealthy` healthy targets or the
 * timeout passes, sleeping on the injected clock. Never throws on timeout: the result says which
 * targets were not healthy and why, so the caller can report it.
 */
export async function waitForHealthyTargets(
  elb: ElasticLoadBalancingV2Client,
  targetGroupArns: readonly string[],
  options: WaitForHealthyTargetsOptions,
): Promise<TargetHealthResult> {
  const timeoutMs = options.timeoutMs ?? 600_000;
  const pollMs = Math.max(1, options.pollMs ?? 15_000);
  const minHealthy = options.minHealthy ?? 1;
  const started = options.clock.now().getTime();
  const maxPolls = Math.ceil(timeoutMs / pollMs) + 1;
  let groups: TargetGroupHealth[] = [];
  for (let poll = 1; poll <= maxPolls; poll++) {
    groups = await mapConcurrent(targetGroupArns, 4, (arn) => readGroupHealth(elb, arn));
    const waitedMs = options.clock.now().getTime() - started;
    if (groups.every((g) => g.healthy >= minHealthy)) return { healthy: true, waitedMs, groups };
    if (waitedMs + pollMs > timeoutMs) break;
    options.logger?.debug(`Waiting for healthy targets: ${groups.map((g) => `${g.healthy} healthy`).join(', ')}`);
    await options.clock.sleep(pollMs);
  }
  return { healthy: false, waitedMs: options.clock.now().getTime() - started, groups };
}
