import type { ECSClient, Service, Task } from '@aws-sdk/client-ecs';
import { describeServicesBatched } from './describe-services.js';
import { listServiceTasks } from './list-service-tasks.js';

/** One line of a service's event log. */
export interface ServiceEventLine {
  at?: Date;
  message: string;
}

/** Why one container of a stopped task ended. */
export interface StoppedContainer {
  name?: string;
  exitCode?: number;
  reason?: string;
}

/** A task ECS stopped, with its own and its containers' reasons. */
export interface StoppedTask {
  taskArn: string;
  stoppedAt?: Date;
  stopCode?: string;
  stoppedReason?: string;
  taskDefinitionArn?: string;
  containers: StoppedContainer[];
}

/** ECS's own record of the deployment we followed: its status and why. */
export interface DeploymentFacts {
  arn: string;
  status: string;
  statusReason?: string;
  rollbackReason?: string;
  createdAt?: Date;
}

/** What a person needs to see to understand why a service did not become stable. */
export interface ServiceDiagnostics {
  service: string;
  /** The service deployment record, when the wait followed one. */
  deployment?: DeploymentFacts;
  /** Newest first. */
  events: ServiceEventLine[];
  /** Newest first. */
  stoppedTasks: StoppedTask[];
  /** Set when some of the facts could not be read; the rest are still given. */
  error?: string;
}

/** Options for {@link collectDiagnostics}. */
export interface CollectDiagnosticsOptions {
  /** Latest service events kept; default 10. */
  maxEvents?: number;
  /** Latest stopped tasks kept; default 10. */
  maxStoppedTasks?: number;
  /** Drop events and stopped tasks older than this (for example the deployment's start). */
  since?: Date;
}

function toStoppedTask(task: Task): StoppedTask {
  return {
    taskArn: task.taskArn ?? '',
    stoppedAt: task.stoppedAt,
    stopCode: task.stopCode,
    stoppedReason: task.stoppedReason,
    taskDefinitionArn: task.taskDefinitionArn,
    containers: (task.containers ?? []).map((c) => ({ name: c.name, exitCode: c.exitCode, reason: c.reason })),
  };
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * Gathers a service's latest events and the reasons its latest tasks stopped. Given a
 * described service it reuses its events; given a name it describes it first. It never throws:
 * it runs on failure paths, so anything it cannot read is noted in `error` instead.
 */
export async function collectDiagnostics(
  ecs: ECSClient,
  cluster: string,
  service: string | Service,
  options: CollectDiagnosticsOptions = {},
): Promise<ServiceDiagnostics> {
  const name = typeof service === 'string' ? service : (service.serviceName ?? '');
  const since = options.since?.getTime() ?? -Infinity;
  const errors: string[] = [];

  let described: Service | undefined = typeof service === 'string' ? undefined : service;
  if (!described) {
    try {
      described = (await describeServicesBatched(ecs, cluster, [name]))[0]?.service;
      if (!described) errors.push('service not found');
    } catch (error) {
      errors.push(`DescribeServices: ${errorText(error)}`);
    }
  }
  const events = (described?.events ?? [])
    .filter((e) => (e.createdAt?.getTime() ?? Infinity) >= since)
    .sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0))
    .slice(0, options.maxEvents ?? 10)
    .map((e) => ({ at: e.createdAt, message: e.message ?? '' }));

  let stoppedTasks: StoppedTask[] = [];
  try {
    const maxStopped = options.maxStoppedTasks ?? 10;
    const tasks = await listServiceTasks(ecs, cluster, name, 'STOPPED', { maxTasks: maxStopped });
    stoppedTasks = tasks
      .filter((t) => (t.stoppedAt?.getTime() ?? Infinity) >= since)
      .sort((a, b) => (b.stoppedAt?.getTime() ?? 0) - (a.stoppedAt?.getTime() ?? 0))
      .map(toStoppedTask);
  } catch (error) {
    errors.push(`stopped tasks: ${errorText(error)}`);
  }

  const diagnostics: ServiceDiagnostics = { service: name, events, stoppedTasks };
  if (errors.length > 0) diagnostics.error = errors.join('; ');
  return diagnostics;
}
