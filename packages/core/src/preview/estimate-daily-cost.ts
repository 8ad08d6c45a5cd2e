/** What the cost model needs of a service: task size and how many tasks run for how long. */
export interface CostedService {
  name: string;
  /** CPU units, 1024 = 1 vCPU. */
  cpu: number;
  /** MiB. */
  memory: number;
  desiredCount: number;
  /** Hours a day the service runs (e.g. 19 when scaled to zero at night). Default: the prices' hoursPerDay. */
  hoursPerDay?: number;
}

/** Pay per task size, as Fargate bills. */
export interface FargatePricing {
  kind: 'fargate';
  vcpuHour: number;
  gbHour: number;
}

/**
 * A share of a shared EC2 instance: a task pays for the larger of its CPU share and its memory
 * share of the instance, since whichever runs out first decides how many tasks fit.
 */
export interface Ec2SharePricing {
  kind: 'ec2-share';
  instanceHour: number;
  instanceVcpu: number;
  instanceMemoryGiB: number;
}

/** Price inputs of {@link estimateDailyCost}. All amounts in USD. */
export interface CostPrices {
  compute: FargatePricing | Ec2SharePricing;
  /** A flat hourly share per environment, e.g. of the shared ALB. Default 0. */
  fixedHour?: number;
  /** Default 24. */
  hoursPerDay?: number;
}

/**
 * AWS Fargate, Linux/x86, us-east-1 on-demand list prices as published on
 * https://aws.amazon.com/fargate/pricing/ during 2025: $0.04048 per vCPU-hour and
 * $0.004445 per GB-hour. No ALB share: one ALB ($0.0225/h + LCUs) is shared by all previews.
 */
export const FARGATE_US_EAST_1_2025: CostPrices = {
  compute: { kind: 'fargate', vcpuHour: 0.04048, gbHour: 0.004445 },
};

/** One service's line of the estimate. */
export interface ServiceCost {
  name: string;
  taskHours: number;
  usd: number;
}

/** Estimated cost of one preview environment for one day. */
export interface DailyCostEstimate {
  services: ServiceCost[];
  fixedUsd: number;
  totalUsd: number;
}

function taskHourPrice(service: CostedService, compute: CostPrices['compute']): number {
  const vcpu = service.cpu / 1024;
  const gib = service.memory / 1024;
  if (compute.kind === 'fargate') return vcpu * compute.vcpuHour + gib * compute.gbHour;
  const share = Math.max(vcpu / compute.instanceVcpu, gib / compute.instanceMemoryGiB);
  return share * compute.instanceHour;
}

/**
 * Estimates a preview's daily cost: task size × tasks × hours at the given prices, plus a fixed
 * hourly share. Pure; amounts are unrounded so callers round once, when they display them.
 */
export function estimateDailyCost(
  services: readonly CostedService[],
  prices: CostPrices = FARGATE_US_EAST_1_2025,
): DailyCostEstimate {
  const defaultHours = prices.hoursPerDay ?? 24;
  const lines = services.map((service) => {
    const taskHours = service.desiredCount * Math.min(24, Math.max(0, service.hoursPerDay ?? defaultHours));
    return { name: service.name, taskHours, usd: taskHours * taskHourPrice(service, prices.compute) };
  });
  const fixedUsd = (prices.fixedHour ?? 0) * Math.min(24, defaultHours);
  return { services: lines, fixedUsd, totalUsd: lines.reduce((sum, line) => sum + line.usd, fixedUsd) };
}
