"""The ECS rolling-update life cycle the sandbox adds to moto: service deployments, service revisions, tasks that
start, run, crash or fail health checks, the circuit breaker and its rollback, and the events ECS writes.

Progress is evaluated lazily from timestamps: every ECS or ELBv2 request first replays, in time order, what
happened since the last request (each scheduled task transition is processed at the time it was due, not at the
time someone looked), then answers. So the result depends only on the durations and on when the requests that
change things were made, never on a background thread's timing, and a sandbox nobody asks costs nothing.
"""

import math
import os
import random
import string
import threading
import time
from typing import Dict, List, Optional

from registry import Behaviour, resolve_image

LOCK = threading.RLock()


def _seconds(name: str, default: float) -> float:
    try:
        return max(float(os.environ.get(name, default)), 0.01)
    except ValueError:
        return default


class Durations:
    """Wall-clock durations of each step; small so a healthy deployment completes in about 1.5 s."""

    def __init__(self) -> None:
        # A new service deployment stays PENDING this long before its first tasks are launched.
        self.pending = _seconds("SANDBOX_ECS_PENDING_SECONDS", 0.1)
        # PROVISIONING/PENDING to RUNNING (or to STOPPED when the image cannot be pulled).
        self.start = _seconds("SANDBOX_ECS_TASK_START_SECONDS", 0.4)
        # A registered target stays `initial` this long before it is healthy or unhealthy.
        self.health = _seconds("SANDBOX_ECS_HEALTH_CHECK_SECONDS", 0.4)
        # How long a `crash` task runs before its essential container exits (less than `health`, so it never
        # counts towards a steady state).
        self.crash = min(_seconds("SANDBOX_ECS_CRASH_SECONDS", 0.2), self.health / 2)
        # From a stop request to STOPPED (connection draining for routed tasks).
        self.stop = _seconds("SANDBOX_ECS_TASK_STOP_SECONDS", 0.3)


DURATIONS = Durations()


def _random_id(length: int, alphabet: str = string.ascii_letters + string.digits) -> str:
    return "".join(random.choice(alphabet) for _ in range(length))


def _arn(service, kind: str, resource_id: str) -> str:
    return (
        f"arn:aws:ecs:{service.region_name}:{service._account_id}:{kind}/{service.cluster_name}/{service.name}/"
        f"{resource_id}"
    )


class Revision:
    """A service revision: what a deployment deploys, with each container's image resolved to a digest."""

    def __init__(self, service, task_definition, created_at: float):
        self.arn = _arn(service, "service-revision", str(random.randint(10**18, 10**19 - 1)))
        self.service_arn = service.arn
        self.cluster_arn = service.cluster_arn
        self.task_definition = task_definition
        self.launch_type = service.launch_type
        self.platform_version = service.platform_version
        self.load_balancers = list(service.load_balancers or [])
        self.network_configuration = service.network_configuration or None
        self.created_at = created_at
        self.container_images = []
        self.pull_error: Optional[str] = None
        self.behaviour = Behaviour("healthy")
        for definition in task_definition.container_definitions:
            resolved = resolve_image(definition.get("image", ""))
            entry = {"containerName": definition.get("name"), "image": resolved.image}
            if resolved.digest and definition.get("versionConsistency") != "disabled":
                entry["imageDigest"] = resolved.digest
            self.container_images.append(entry)
            if definition.get("essential", True) is False:
                continue
            if resolved.pull_error and self.pull_error is None:
                self.pull_error = resolved.pull_error
            if self.behaviour.kind == "healthy" and resolved.behaviour.kind != "healthy":
                self.behaviour = resolved.behaviour
        # The rollout that last ran this revision, so a rollback can name it.
        self.rollout_id: Optional[str] = None

    def to_api(self) -> dict:
        revision = {
            "serviceRevisionArn": self.arn,
            "serviceArn": self.service_arn,
            "clusterArn": self.cluster_arn,
            "taskDefinition": self.task_definition.arn,
            "launchType": self.launch_type,
            "loadBalancers": self.load_balancers,
            "containerImages": self.container_images,
            "guardDutyEnabled": False,
            "createdAt": self.created_at,
        }
        if self.platform_version:
            revision["platformVersion"] = self.platform_version
        if self.network_configuration:
            revision["networkConfiguration"] = self.network_configuration
        return revision


class Rollout:
    """One entry of DescribeServices' deployments[] (`ecs-svc/...`): the tasks of one revision."""

    def __init__(self, service_deployment, revision: Revision, created_at: float, reason: str):
        self.id = f"ecs-svc/{random.randint(10**18, 10**19 - 1)}"
        self.service_deployment = service_deployment
        self.revision = revision
        self.created_at = created_at
        self.updated_at = created_at
        self.launch_at = created_at + DURATIONS.pending
        self.status = "PRIMARY"
        self.rollout_state = "IN_PROGRESS"
        self.rollout_state_reason = reason
        self.failed_tasks = 0
        self.consecutive_failures = 0
        self.next_launch_at = self.launch_at
        revision.rollout_id = self.id


class ServiceDeployment:
    """A service deployment as DescribeServiceDeployments shows it."""

    def __init__(self, service, revision: Revision, sources: List[Rollout], created_at: float):
        self.id = _random_id(8, string.ascii_uppercase + string.digits) + "-" + _random_id(11)
        self.arn = _arn(service, "service-deployment", self.id)
        self.service = service
        self.created_at = created_at
        self.started_at: Optional[float] = None
        self.finished_at: Optional[float] = None
        self.stopped_at: Optional[float] = None
        self.updated_at = created_at
        self.status = "PENDING"
        self.status_reason: Optional[str] = None
        self.target_revision = revision
        self.sources = sources
        self.source_counts = {rollout.revision.arn: _active_count(service, rollout, created_at) for rollout in sources}
        config = dict(getattr(service, "deployment_configuration", None) or {})
        breaker = config.get("deploymentCircuitBreaker") or {}
        self.breaker_enabled = bool(breaker.get("enable"))
        self.breaker_rollback = bool(breaker.get("rollback"))
        self.breaker_status = "MONITORING" if self.breaker_enabled else "DISABLED"
        self.threshold = _failure_threshold(breaker.get("thresholdConfiguration"), service.desired_count)
        self.deployment_configuration = _deployment_configuration(config)
        self.rollback: Optional[dict] = None
        self.rollout = Rollout(self, revision, created_at, "")
        self.rollout.rollout_state_reason = f"ECS deployment {self.rollout.id} in progress."
        self.rollback_rollout: Optional[Rollout] = None

    def set_status(self, status: str, at: float, reason: Optional[str] = None) -> None:
        self.status = status
        self.updated_at = at
        if reason is not None:
            self.status_reason = reason

    def to_brief(self) -> dict:
        brief = {
            "serviceDeploymentArn": self.arn,
            "serviceArn": self.service.arn,
            "clusterArn": self.service.cluster_arn,
            "createdAt": self.created_at,
            "targetServiceRevisionArn": self.target_revision.arn,
            "status": self.status,
        }
        _put(brief, "startedAt", self.started_at)
        _put(brief, "finishedAt", self.finished_at)
        _put(brief, "statusReason", self.status_reason)
        return brief

    def to_api(self, now: float) -> dict:
        service = self.service
        rollout = self.rollout
        detail = {
            "serviceDeploymentArn": self.arn,
            "serviceArn": service.arn,
            "clusterArn": service.cluster_arn,
            "createdAt": self.created_at,
            "updatedAt": self.updated_at,
            "sourceServiceRevisions": [
                {
                    "arn": source.revision.arn,
                    "requestedTaskCount": self.source_counts.get(source.revision.arn, 0),
                    "runningTaskCount": _running_count(service, source, now),
                    "pendingTaskCount": _pending_count(service, source, now),
                }
                for source in self.sources
            ],
            "targetServiceRevision": {
                "arn": self.target_revision.arn,
                "requestedTaskCount": service.desired_count,
                "runningTaskCount": _running_count(service, rollout, now),
                "pendingTaskCount": _pending_count(service, rollout, now),
            },
            "status": self.status,
            "deploymentConfiguration": self.deployment_configuration,
            "deploymentCircuitBreaker": {
                "status": self.breaker_status,
                "failureCount": rollout.failed_tasks,
                "threshold": self.threshold,
            },
            "alarms": {"status": "DISABLED"},
        }
        _put(detail, "startedAt", self.started_at)
        _put(detail, "finishedAt", self.finished_at)
        _put(detail, "stoppedAt", self.stopped_at)
        _put(detail, "statusReason", self.status_reason)
        _put(detail, "rollback", self.rollback)
        return detail


def _put(target: dict, key: str, value) -> None:
    if value is not None:
        target[key] = value


def _failure_threshold(configuration: Optional[dict], desired: int) -> int:
    """0.5 x desired, at least 3 and at most 200 (the documented default, BOUNDED_PERCENT 50)."""
    kind = (configuration or {}).get("type", "BOUNDED_PERCENT")
    value = (configuration or {}).get("value", 50)
    if kind == "COUNT":
        return max(int(value), 1)
    computed = math.ceil(value / 100 * desired)
    return max(computed, 1) if kind == "UNBOUNDED_PERCENT" else min(max(computed, 3), 200)


def _deployment_configuration(config: dict) -> dict:
    breaker = config.get("deploymentCircuitBreaker") or {"enable": False, "rollback": False}
    result = {
        "deploymentCircuitBreaker": breaker,
        "maximumPercent": config.get("maximumPercent", 200),
        "minimumHealthyPercent": config.get("minimumHealthyPercent", 100),
    }
    if "alarms" in config:
        result["alarms"] = config["alarms"]
    result["strategy"] = config.get("strategy", "ROLLING")
    return result


# --- tasks ------------------------------------------------------------------------------------------------


def service_tasks(service) -> list:
    """The service's tasks that are not yet STOPPED and accounted for; stopped ones live on in moto's task list
    (for ListTasks and DescribeTasks) but cost the scheduler nothing."""
    return getattr(service, "_sb_tasks", [])


def _tasks_of(service, rollout: Rollout) -> list:
    return [task for task in service_tasks(service) if task.sb_rollout is rollout]


def _active(task, at: float) -> bool:
    """Not yet asked to stop and not stopped on its own (a failure scheduled for later has not happened yet)."""
    return (task.sb_stop_requested_at is None or task.sb_stop_requested_at > at) and (
        task.sb_stopped_at is None or task.sb_stopped_at > at
    )


def _active_count(service, rollout: Rollout, at: float) -> int:
    return sum(1 for task in _tasks_of(service, rollout) if _active(task, at))


def _running_count(service, rollout: Rollout, at: float) -> int:
    return sum(1 for task in _tasks_of(service, rollout) if task.status_at(at) == "RUNNING")


def _pending_count(service, rollout: Rollout, at: float) -> int:
    return sum(1 for task in _tasks_of(service, rollout) if task.status_at(at) in ("PROVISIONING", "PENDING"))


def _healthy(task, at: float) -> bool:
    """Counts towards a steady state: RUNNING, and past its health check (for a routed task, the target group's;
    otherwise the settling time in which a crashing container would have exited)."""
    if not _active(task, at) or task.status_at(at) != "RUNNING":
        return False
    return task.sb_steady_at is not None and task.sb_steady_at <= at


def _add_event(service, at: float, message: str) -> None:
    service.events.insert(0, {"id": str(random.randint(10**8, 10**9)), "createdAt": at, "message": message})
    del service.events[100:]


def _short_id(task) -> str:
    return task.task_arn.split("/")[-1]


# --- the scheduler ----------------------------------------------------------------------------------------


def start_deployment(service, task_definition, at: float) -> ServiceDeployment:
    """What CreateService and a deployment-triggering UpdateService do: a new revision and service deployment."""
    deployments: List[ServiceDeployment] = service.__dict__.setdefault("_sb_deployments", [])
    rollouts: List[Rollout] = service.__dict__.setdefault("_sb_rollouts", [])
    service.__dict__.setdefault("_sb_tasks", [])
    for previous in deployments:
        if previous.status in ("PENDING", "IN_PROGRESS", "ROLLBACK_REQUESTED", "ROLLBACK_IN_PROGRESS"):
            previous.set_status("STOPPED", at, "Service deployment superseded by a newer service deployment.")
            previous.stopped_at = previous.finished_at = at
    sources = [rollout for rollout in rollouts if rollout.status != "INACTIVE"]
    for rollout in sources:
        rollout.status = "ACTIVE"
        rollout.updated_at = at
    revision = Revision(service, task_definition, at)
    deployment = ServiceDeployment(service, revision, sources, at)
    deployments.append(deployment)
    rollouts.append(deployment.rollout)
    service.task_definition = task_definition.arn
    return deployment


def advance(service, now: float) -> None:
    """Replays every transition due by `now`, in time order."""
    if not hasattr(service, "_sb_rollouts"):
        return
    processed = service.__dict__.setdefault("_sb_processed_until", 0.0)
    while True:
        due = [t for t in _scheduled_times(service) if processed < t <= now]
        if not due:
            break
        processed = min(due)
        _reconcile(service, processed)
    _reconcile(service, now)
    service._sb_processed_until = now


def _scheduled_times(service) -> List[float]:
    times = [rollout.launch_at for rollout in service._sb_rollouts if rollout.status != "INACTIVE"]
    times += [rollout.next_launch_at for rollout in service._sb_rollouts if rollout.status == "PRIMARY"]
    for task in service_tasks(service):
        for value in (task.sb_running_at, task.sb_steady_at, task.sb_stop_requested_at, task.sb_stopped_at):
            if value is not None:
                times.append(value)
        if task.sb_stop_requested_at is not None:
            times.append(task.sb_stop_requested_at + DURATIONS.stop / 2)
    return times


def primary_rollout(service) -> Optional[Rollout]:
    return next((r for r in reversed(getattr(service, "_sb_rollouts", [])) if r.status == "PRIMARY"), None)


def _reconcile(service, at: float) -> None:
    primary = primary_rollout(service)
    _account_for_tasks(service, at)
    if primary is not None:
        deployment = primary.service_deployment
        if primary.rollout_state == "IN_PROGRESS" and deployment.breaker_enabled:
            if primary.failed_tasks >= deployment.threshold and primary is deployment.rollout:
                fail_deployment(service, deployment, at, "ECS deployment circuit breaker: tasks failed to start.")
                primary = primary_rollout(service)
    if service.status == "DRAINING":
        _drain_service(service, at)
        return
    if primary is None or at < primary.launch_at:
        return
    deployment = primary.service_deployment
    if primary is deployment.rollout and deployment.status == "PENDING":
        deployment.set_status("IN_PROGRESS", at)
        deployment.started_at = at
    if primary is deployment.rollback_rollout and deployment.status == "ROLLBACK_REQUESTED":
        deployment.set_status("ROLLBACK_IN_PROGRESS", at)
    if primary.rollout_state != "FAILED":
        _scale(service, primary, at)
    if primary.rollout_state == "IN_PROGRESS":
        _complete_if_steady(service, primary, at)


def _account_for_tasks(service, at: float) -> None:
    for task in list(service_tasks(service)):
        if task.sb_running_at is not None and task.sb_running_at <= at and not task.sb_seen_running:
            task.sb_seen_running = True
            _register_targets(service, task, at)
        if task.sb_stop_requested_at is not None and task.sb_stop_requested_at <= at and not task.sb_seen_stop:
            task.sb_seen_stop = True
            if task.sb_failure == "elb":
                for balancer in (b for b in task.sb_targets if "port" in b):
                    _add_event(
                        service,
                        at,
                        f"(service {service.name}) (task {_short_id(task)}) (port {balancer['port']}) is unhealthy in "
                        f"(target-group {balancer['targetGroupArn']}) due to (reason Health checks failed with "
                        "these codes: [503]).",
                    )
                _add_event(service, at, f"(service {service.name}) has stopped 1 running tasks: (task {_short_id(task)}).")
                _count_failure(service, task.sb_rollout, at)
            if task.sb_targets:
                _add_event(
                    service,
                    at,
                    f"(service {service.name}) has begun draining connections on 1 tasks.",
                )
        if task.sb_stopped_at is not None and task.sb_stopped_at <= at and not task.sb_seen_stopped:
            task.sb_seen_stopped = True
            if task.sb_targets and task.sb_seen_running:
                _deregister_targets(service, task, at)
            if task.sb_failure in ("pull", "crash"):
                _count_failure(service, task.sb_rollout, at)
            service._sb_tasks.remove(task)


def _count_failure(service, rollout: Rollout, at: float) -> None:
    """A failed task; after a few in a row ECS throttles the launches (its documented service throttle logic,
    here doubling from the start duration up to a minute), so a failing service does not spin for ever."""
    rollout.failed_tasks += 1
    rollout.consecutive_failures += 1
    extra = rollout.consecutive_failures - 3
    if extra > 0:
        rollout.next_launch_at = at + min(DURATIONS.start * 2**extra, 60.0)
        if extra == 1:
            _add_event(
                service,
                at,
                f"(service {service.name}) is unable to consistently start tasks successfully. For more "
                "information, see the Troubleshooting section of the Amazon ECS Developer Guide.",
            )


def _scale(service, rollout: Rollout, at: float) -> None:
    active = [task for task in _tasks_of(service, rollout) if _active(task, at)]
    missing = service.desired_count - len(active)
    if missing > 0 and at >= rollout.next_launch_at:
        launched = [_launch_task(service, rollout, at) for _ in range(missing)]
        launched = [task for task in launched if task is not None]
        if launched:
            names = " ".join(f"(task {_short_id(task)})" for task in launched)
            _add_event(service, at, f"(service {service.name}) has started {len(launched)} tasks: {names}.")
    elif missing < 0:
        surplus = sorted(active, key=lambda task: task.sb_launched_at, reverse=True)[: -missing]
        _stop_tasks(service, surplus, at, f"Scaling activity initiated by (deployment {rollout.id})")


def _complete_if_steady(service, primary: Rollout, at: float) -> None:
    healthy = sum(1 for task in _tasks_of(service, primary) if _healthy(task, at))
    if healthy < service.desired_count:
        return
    others = [rollout for rollout in service._sb_rollouts if rollout is not primary and rollout.status != "INACTIVE"]
    for rollout in others:
        running = [task for task in _tasks_of(service, rollout) if _active(task, at)]
        _stop_tasks(service, running, at, f"Scaling activity initiated by (deployment {primary.id})")
    if any(task.status_at(at) != "STOPPED" for rollout in others for task in _tasks_of(service, rollout)):
        return
    for rollout in others:
        rollout.status = "INACTIVE"
        rollout.updated_at = at
    primary.rollout_state = "COMPLETED"
    primary.rollout_state_reason = f"ECS deployment {primary.id} completed."
    primary.updated_at = at
    deployment = primary.service_deployment
    if deployment.breaker_status == "MONITORING":
        deployment.breaker_status = "MONITORING_COMPLETE"
    if primary is deployment.rollback_rollout:
        deployment.set_status("ROLLBACK_SUCCESSFUL", at)
    elif deployment.status == "IN_PROGRESS":
        deployment.set_status("SUCCESSFUL", at)
    deployment.finished_at = at
    _add_event(service, at, f"(service {service.name}) (deployment {primary.id}) deployment completed.")
    _add_event(service, at, f"(service {service.name}) has reached a steady state.")


def fail_deployment(service, deployment: ServiceDeployment, at: float, reason: str, requested: bool = False) -> None:
    """The circuit breaker tripping (or StopServiceDeployment ROLLBACK when `requested`): the target rollout
    fails and, with rollback on (always, when requested), the service goes back to the source revision."""
    failed = deployment.rollout
    failed.rollout_state = "FAILED"
    failed.rollout_state_reason = reason
    failed.updated_at = at
    if not requested:
        deployment.breaker_status = "TRIGGERED"
        _add_event(service, at, f"(service {service.name}) deployment {failed.id} deployment failed: tasks failed to start.")
    source = next(
        (r for r in reversed(deployment.sources) if r.rollout_state == "COMPLETED"),
        deployment.sources[-1] if deployment.sources else None,
    )
    if (deployment.breaker_rollback or requested) and source is not None:
        deployment.set_status("ROLLBACK_REQUESTED", at)
        deployment.rollback = {"reason": reason, "startedAt": at, "serviceRevisionArn": source.revision.arn}
        source_id = source.id
        rollback = Rollout(deployment, source.revision, at, "")
        rollback.rollout_state_reason = f"ECS deployment circuit breaker: rolling back to deploymentId {source_id}."
        deployment.rollback_rollout = rollback
        failed.status = "ACTIVE"
        service._sb_rollouts.append(rollback)
        service.task_definition = source.revision.task_definition.arn
        _add_event(service, at, f"(service {service.name}) rolling back to deployment {source_id}.")
        return
    deployment.set_status("STOPPED", at, reason)
    deployment.stopped_at = deployment.finished_at = at


def _drain_service(service, at: float) -> None:
    running = [task for task in service_tasks(service) if _active(task, at)]
    _stop_tasks(service, running, at, "Service deleted", code="ServiceSchedulerInitiated")
    # ECS: "After all tasks have transitioned to either STOPPING or STOPPED status, the service status moves
    # from DRAINING to INACTIVE."
    if all(task.status_at(at) in ("STOPPING", "STOPPED") for task in service_tasks(service)):
        service.status = "INACTIVE"
        for rollout in service._sb_rollouts:
            rollout.status = "INACTIVE"
        # ECS: "When you delete a service, Amazon ECS deletes the corresponding service deployments."
        service._sb_deployments.clear()


def delete_service(service, at: float) -> None:
    """DeleteService: DRAINING until every task has stopped, then INACTIVE."""
    service.desired_count = 0
    for deployment in getattr(service, "_sb_deployments", []):
        if deployment.status in ("PENDING", "IN_PROGRESS", "ROLLBACK_REQUESTED", "ROLLBACK_IN_PROGRESS"):
            deployment.set_status("STOPPED", at, "Service deleted.")
            deployment.stopped_at = deployment.finished_at = at
    service.status = "DRAINING"
    _drain_service(service, at)


def stop_task(service, task, at: float, reason: str) -> None:
    """StopTask on a service's task: it stops and the scheduler replaces it."""
    if _active(task, at):
        _stop_tasks(service, [task], at, reason or "Task stopped by user", code="UserInitiated")


def _stop_tasks(service, tasks: list, at: float, reason: str, code: str = "ServiceSchedulerInitiated") -> None:
    tasks = [task for task in tasks if _active(task, at)]
    for task in tasks:
        # Stopped before the failure its image had in store: it is just stopped, not a failed task.
        task.sb_failure = None
        task.sb_exit_code = 0
        task.sb_container_reason = None
        task.sb_stop_requested_at = at
        task.sb_stopped_at = at + DURATIONS.stop
        task.sb_stopped_reason = reason
        task.sb_stop_code = code
        if task.sb_running_at is not None and task.sb_running_at > at:
            task.sb_running_at = None
    if tasks:
        names = " ".join(f"(task {_short_id(task)})" for task in tasks)
        _add_event(service, at, f"(service {service.name}) has stopped {len(tasks)} running tasks: {names}.")


# --- placement and the load balancer ----------------------------------------------------------------------


def _launch_task(service, rollout: Rollout, at: float):
    from tasks import create_service_task

    task = create_service_task(service, rollout, at)
    if task is None:
        return None
    revision = rollout.revision
    behaviour = revision.behaviour
    routed = bool(revision.load_balancers)
    task.sb_targets = [dict(b) for b in revision.load_balancers if b.get("targetGroupArn")]
    if revision.pull_error:
        task.sb_failure = "pull"
        task.sb_stopped_at = at + DURATIONS.start
        task.sb_stopped_reason = revision.pull_error
        task.sb_stop_code = "TaskFailedToStart"
        task.sb_container_reason = revision.pull_error
    else:
        extra = behaviour.seconds if behaviour.kind == "slow" else 0.0
        task.sb_running_at = at + DURATIONS.start + extra
        task.sb_steady_at = task.sb_running_at + DURATIONS.health
        if routed and task.sb_targets:
            checked_at = task.sb_running_at + DURATIONS.health
            if behaviour.kind == "unhealthy":
                task.sb_steady_at = None
                task.sb_unhealthy_at = checked_at
                task.sb_failure = "elb"
                task.sb_stop_requested_at = checked_at + DURATIONS.health
                task.sb_stopped_at = task.sb_stop_requested_at + DURATIONS.stop
                arn = task.sb_targets[0]["targetGroupArn"]
                task.sb_stopped_reason = f"Task failed ELB health checks in (target-group {arn})"
                task.sb_stop_code = "ServiceSchedulerInitiated"
            else:
                task.sb_healthy_at = checked_at
        if behaviour.kind == "crash":
            task.sb_failure = "crash"
            task.sb_stopped_at = task.sb_running_at + DURATIONS.crash
            task.sb_stopped_reason = "Essential container in task exited"
            task.sb_stop_code = "EssentialContainerExited"
            task.sb_exit_code = 1
            task.sb_unhealthy_at = None
            task.sb_healthy_at = None
            task.sb_steady_at = None
            task.sb_stop_requested_at = None
    service._sb_tasks.append(task)
    return task


def _target_groups(service):
    from moto.elbv2.models import elbv2_backends

    return elbv2_backends[service._account_id][service.region_name].target_groups


def _register_targets(service, task, at: float) -> None:
    groups = _target_groups(service)
    for balancer in task.sb_targets:
        group = groups.get(balancer["targetGroupArn"])
        if group is None:
            continue
        target_id, port = task.target_id_and_port(balancer, group)
        balancer["targetId"], balancer["port"] = target_id, port
        key = target_key(target_id, port)
        group.targets[key] = {"id": target_id, "port": port}
        group.deregistered_targets.pop(key, None)
        group.__dict__.setdefault("_sb_tasks", {})[key] = task
        _add_event(
            service, at, f"(service {service.name}) registered 1 targets in (target-group {balancer['targetGroupArn']})"
        )


def target_key(target_id: str, port) -> str:
    """A target is an id and a port, as in ELB: two tasks on one instance (a rolling deployment with bridge
    networking) are two targets, and draining the old one must not deregister the new one."""
    return f"{target_id}:{port}"


def _deregister_targets(service, task, at: float) -> None:
    groups = _target_groups(service)
    for balancer in task.sb_targets:
        group = groups.get(balancer["targetGroupArn"])
        target_id = balancer.get("targetId")
        if group is None or target_id is None:
            continue
        key = target_key(target_id, balancer.get("port"))
        removed = group.targets.pop(key, None)
        if removed:
            group.deregistered_targets[key] = removed
        getattr(group, "_sb_tasks", {}).pop(key, None)
        _add_event(
            service, at, f"(service {service.name}) deregistered 1 targets in (target-group {balancer['targetGroupArn']})"
        )


def target_health(task, now: float) -> Dict[str, Optional[str]]:
    """What DescribeTargetHealth says of a task's target, as an ALB would."""
    if task.sb_stop_requested_at is not None and task.sb_stop_requested_at <= now:
        return {"state": "draining", "reason": "Target.DeregistrationInProgress", "description": "Target deregistration is in progress"}
    if task.sb_stopped_at is not None and task.sb_stopped_at <= now:
        return {"state": "draining", "reason": "Target.DeregistrationInProgress", "description": "Target deregistration is in progress"}
    if task.sb_unhealthy_at is not None and task.sb_unhealthy_at <= now:
        return {
            "state": "unhealthy",
            "reason": "Target.ResponseCodeMismatch",
            "description": "Health checks failed with these codes: [503]",
        }
    if task.sb_healthy_at is not None and task.sb_healthy_at <= now:
        return {"state": "healthy", "reason": None, "description": None}
    return {"state": "initial", "reason": "Elb.RegistrationInProgress", "description": "Target registration is in progress"}


def now() -> float:
    return time.time()
