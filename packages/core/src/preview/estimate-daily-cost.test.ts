import { describe, expect, it } from '@jest/globals';
import { estimateDailyCost, FARGATE_US_EAST_1_2025 } from './estimate-daily-cost.js';

const RFC = [
  { name: 'api', cpu: 256, memory: 512, desiredCount: 1 },
  { name: 'admin', cpu: 256, memory: 512, desiredCount: 1, hoursPerDay: 19 },
  { name: 'celery-default', cpu: 256, memory: 512, desiredCount: 1, hoursPerDay: 19 },
];

describe('estimateDailyCost', () => {
  it('prices Fargate tasks by vCPU-hours and GB-hours', () => {
    const estimate = estimateDailyCost(
      [{ name: 'api', cpu: 1024, memory: 2048, desiredCount: 2 }],
      FARGATE_US_EAST_1_2025,
    );
    const hourly = 0.04048 + 2 * 0.004445;
    expect(estimate.services[0]?.taskHours).toBe(48);
    expect(estimate.totalUsd).toBeCloseTo(48 * hourly, 10);
  });

  it('honours per-service hours and a fixed hourly share', () => {
    const estimate = estimateDailyCost(RFC, { ...FARGATE_US_EAST_1_2025, fixedHour: 0.028 });
    const taskHour = 0.25 * 0.04048 + 0.5 * 0.004445;
    expect(estimate.services.map((s) => s.taskHours)).toEqual([24, 19, 19]);
    expect(estimate.fixedUsd).toBeCloseTo(0.672, 10);
    expect(estimate.totalUsd).toBeCloseTo(62 * taskHour + 0.672, 10);
  });

  it('charges an EC2 share by the larger of the CPU and memory shares', () => {
    const prices = {
      compute: { kind: 'ec2-share' as const, instanceHour: 0.0832, instanceVcpu: 2, instanceMemoryGiB: 8 },
    };
    const cpuBound = estimateDailyCost([{ name: 'a', cpu: 1024, memory: 1024, desiredCount: 1 }], prices);
    const memoryBound = estimateDailyCost([{ name: 'b', cpu: 256, memory: 6144, desiredCount: 1 }], prices);
    expect(cpuBound.totalUsd).toBeCloseTo(24 * 0.5 * 0.0832, 10);
    expect(memoryBound.totalUsd).toBeCloseTo(24 * 0.75 * 0.0832, 10);
  });

  it('costs nothing for a service scaled to zero', () => {
    expect(estimateDailyCost([{ name: 'a', cpu: 256, memory: 512, desiredCount: 0 }]).totalUsd).toBe(0);
  });
});
