"""A service's task: moto's Task, with its status read from the timestamps the life cycle scheduled."""

import random
import uuid
from typing import Optional

from moto.ecs.models import Task

import lifecycle


class ServiceTask(Task):
    """lastStatus and desiredStatus follow the scheduled times; moto's own state machine is switched off."""

    # moto's model metaclass files every model under the service named by its module (moto.<service>....).
    __module__ = "moto.ecs.sandbox_tasks"

    @property
    def last_status(self) -> Optional[str]:
        return self.status_at(lifecycle.now())

    @last_status.setter
    def last_status(self, value: Optional[str]) -> None:
        pass

    @property
    def desired_status(self) -> str:
        at = lifecycle.now()
        if self.__dict__.get("sb_stop_requested_at") is not None and self.sb_stop_requested_at <= at:
            return "STOPPED"
        if self.__dict__.get("sb_stopped_at") is not None and self.sb_stopped_at <= at:
            return "STOPPED"
        return "RUNNING"

    @desired_status.setter
    def desired_status(self, value: str) -> None:
        pass

    def advance(self) -> None:
        pass

    def status_at(self, at: float) -> str:
        if self.sb_stopped_at is not None and self.sb_stopped_at <= at:
            return "STOPPED"
        if self.sb_stop_requested_at is not None and self.sb_stop_requested_at <= at:
            # The first half of a stop is the load balancer deregistering the target (DEACTIVATING) or, for an
            # unrouted task, the container still running until it handles SIGTERM; then STOPPING.
            if self.sb_seen_running and at < self.sb_stop_requested_at + lifecycle.DURATIONS.stop / 2:
                return "DEACTIVATING" if self.sb_targets else "RUNNING"
            return "STOPPING"
        if self.sb_running_at is not None and self.sb_running_at <= at:
            return "RUNNING"
        if at < self.sb_launched_at + lifecycle.DURATIONS.start / 4:
            return "PROVISIONING"
        return "PENDING"

    def target_id_and_port(self, balancer: dict, group) -> tuple:
        port = balancer.get("containerPort") or group.port
        if group.target_type == "ip":
            for attachment in self.attachments:
                for detail in attachment.get("details", []):
                    if detail["name"] == "privateIPv4Address":
                        return detail["value"], port
            return f"10.0.{random.randint(0, 255)}.{random.randint(1, 254)}", port
        instance = self._backend.container_instances.get(self.cluster_name, {}).get(
            (self.container_instance_arn or "").split("/")[-1]
        )
        host_port = port if self.sb_network_mode == "host" else 32768 + random.randint(0, 28000)
        return (instance.ec2_instance_id if instance else f"i-{random.randbytes(8).hex()[:17]}"), host_port

    def response_object(self, include_tags: bool = True) -> dict:  # type: ignore[override]
        at = lifecycle.now()
        status = self.status_at(at)
        containers = []
        for index, definition in enumerate(self.sb_revision.task_definition.container_definitions):
            image = self.sb_revision.container_images[index]
            container = {
                "containerArn": f"{self.task_arn.replace(':task/', ':container/')}/{definition.get('name')}",
                "taskArn": self.task_arn,
                "name": definition.get("name"),
                "image": image["image"],
                "lastStatus": "STOPPED" if status in ("STOPPED",) else ("RUNNING" if status in ("RUNNING", "DEACTIVATING", "STOPPING") else "PENDING"),
                "healthStatus": "UNKNOWN",
                "networkInterfaces": [],
                "cpu": str(definition.get("cpu", 0)),
            }
            if "imageDigest" in image and self.sb_failure != "pull":
                container["imageDigest"] = image["imageDigest"]
            if definition.get("memory") is not None:
                container["memory"] = str(definition["memory"])
            if status == "STOPPED":
                if self.sb_container_reason:
                    container["reason"] = self.sb_container_reason
                elif self.sb_running_at is not None:
                    container["exitCode"] = self.sb_exit_code if definition.get("essential", True) else 0
            containers.append(container)
        task = {
            "taskArn": self.task_arn,
            "clusterArn": self.cluster_arn,
            "taskDefinitionArn": self.task_definition_arn,
            "lastStatus": status,
            "desiredStatus": self.desired_status,
            "startedBy": self.started_by,
            "group": f"service:{self.sb_service_name}",
            "launchType": self.launch_type or "EC2",
            "createdAt": self.sb_launched_at,
            "containers": containers,
            "attachments": self.attachments,
            "overrides": {"containerOverrides": [], "inferenceAcceleratorOverrides": []},
            "healthStatus": "UNKNOWN",
            "version": 1,
            "connectivity": "CONNECTED",
            "cpu": self.sb_revision.task_definition.cpu,
            "memory": self.sb_revision.task_definition.memory,
        }
        if self.container_instance_arn:
            task["containerInstanceArn"] = self.container_instance_arn
        if include_tags:
            task["tags"] = self.tags
        if self.sb_running_at is not None and self.sb_running_at <= at:
            task["pullStartedAt"] = self.sb_launched_at
            task["pullStoppedAt"] = self.sb_running_at
            task["startedAt"] = self.sb_running_at
        stopping_at = self.sb_stop_requested_at or self.sb_stopped_at
        if stopping_at is not None and stopping_at <= at:
            task["stoppingAt"] = stopping_at
            task["stoppedReason"] = self.sb_stopped_reason
            task["stopCode"] = self.sb_stop_code
        if status == "STOPPED":
            task["stoppedAt"] = self.sb_stopped_at
            task["executionStoppedAt"] = self.sb_stopped_at
        return {key: value for key, value in task.items() if value is not None}


TASK_DEFAULTS = {
    "sb_running_at": None,
    "sb_healthy_at": None,
    "sb_steady_at": None,
    "sb_unhealthy_at": None,
    "sb_stop_requested_at": None,
    "sb_stopped_at": None,
    "sb_stopped_reason": None,
    "sb_stop_code": None,
    "sb_exit_code": 0,
    "sb_container_reason": None,
    "sb_failure": None,
    "sb_targets": [],
    "sb_seen_running": False,
    "sb_seen_stop": False,
    "sb_seen_stopped": False,
}


def create_service_task(service, rollout, at: float) -> Optional[ServiceTask]:
    """Places one task of `rollout` on the cluster: on its first ACTIVE container instance for EC2 (an event says
    so when there is none), nowhere for FARGATE."""
    backend = service._backend
    cluster = backend._get_cluster(service.cluster_name)
    revision = rollout.revision
    instance_arn = None
    if (service.launch_type or "EC2") == "EC2":
        instances = [i for i in backend.container_instances.get(cluster.name, {}).values() if i.status == "ACTIVE"]
        if not instances:
            # ECS repeats this event while it keeps failing to place, not on every scheduler pass.
            last = service.__dict__.get("_sb_unplaced_event_at")
            if last is not None and at - last < 10:
                return None
            service._sb_unplaced_event_at = at
            lifecycle._add_event(
                service,
                at,
                f"(service {service.name}) was unable to place a task because no container instance met all of its "
                "requirements. Reason: No Container Instances were found in your cluster.",
            )
            return None
        instance_arn = instances[0].container_instance_arn
    network = None
    if revision.task_definition.network_mode == "awsvpc":
        awsvpc = dict((service.network_configuration or {}).get("awsvpcConfiguration") or {})
        awsvpc.setdefault("securityGroups", [])
        if not awsvpc.get("subnets"):
            return None
        network = {"awsvpcConfiguration": awsvpc}
    task = ServiceTask(
        cluster,
        revision.task_definition,
        instance_arn,
        None,
        backend=backend,
        launch_type=service.launch_type or "EC2",
        started_by=rollout.id,
        tags=list(service.tags or []) if service.propagate_tags == "SERVICE" else [],
        networking_configuration=network,
    )
    # ECS task ids are 32 hex digits; moto's are dashed UUIDs.
    task.id = uuid.uuid4().hex
    task.sb_service_name = service.name
    task.sb_rollout = rollout
    task.sb_revision = revision
    task.sb_network_mode = revision.task_definition.network_mode
    task.sb_launched_at = at
    # Filled in by lifecycle._launch_task from the revision's behaviour, and as the task progresses.
    for name, value in TASK_DEFAULTS.items():
        setattr(task, name, list(value) if isinstance(value, list) else value)
    backend.tasks.setdefault(cluster.name, {})[task.task_arn] = task
    return task
