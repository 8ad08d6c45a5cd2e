"""Patches moto's ECS and ELBv2 response and backend classes (moto has no plugin API) so the life cycle in
lifecycle.py answers over HTTP. Applied once, in the server process, before the server starts."""

import json
import traceback
from datetime import datetime

from moto.core.exceptions import JsonRESTError

from moto.ecs.exceptions import EcsClientException, InvalidParameterException, ServiceNotFoundException
from moto.ecs.models import EC2ContainerServiceBackend, Service, ecs_backends
from moto.ecs.responses import EC2ContainerServiceResponse
from moto.elbv2.models import FakeHealthStatus, FakeTargetGroup
from moto.elbv2.responses import ELBV2Response

import lifecycle
from tasks import ServiceTask

# UpdateService parameters whose change starts a new deployment (besides taskDefinition and forceNewDeployment).
DEPLOYMENT_PARAMETERS = (
    "networkConfiguration",
    "loadBalancers",
    "platformVersion",
    "launchType",
    "capacityProviderStrategy",
    "serviceRegistries",
    "serviceConnectConfiguration",
    "volumeConfigurations",
)


def _body(response) -> dict:
    try:
        return json.loads(response.body or "{}")
    except ValueError:
        return {}


def _advance_backend(backend, now: float) -> None:
    """Brings every service of `backend` up to `now`. A failing replay is printed to moto's log (.sandbox/logs/
    moto.log) and leaves the call it came with to be answered, rather than taking every ECS call down."""
    for service in list(backend.services.values()):
        try:
            lifecycle.advance(service, now)
        except Exception:
            traceback.print_exc()


def _find_service(backend, cluster: str, name_or_arn: str):
    return backend._get_service(cluster or "default", name_or_arn.split("/")[-1])


# --- responses ----------------------------------------------------------------------------------------------

original_call_action = EC2ContainerServiceResponse.call_action
original_create_service = EC2ContainerServiceResponse.create_service
original_update_service = EC2ContainerServiceResponse.update_service


def call_action(self):
    with lifecycle.LOCK:
        _advance_backend(self.ecs_backend, lifecycle.now())
        return original_call_action(self)


def create_service(self):
    params = _body(self)
    backend = self.ecs_backend
    existing = _existing_service(backend, params)
    if existing is not None:
        # ECS: creating a service named like an ACTIVE or DRAINING one is an error, unless it is the same request
        # again (a retry after a lost answer), which returns the service as it is.
        requested = backend.describe_task_definition(params.get("taskDefinition")).arn if params.get("taskDefinition") else None
        if existing.status == "ACTIVE" and requested == _first_task_definition(existing):
            return json.dumps({"service": existing.response_object})
        raise InvalidParameterException("Creation of service was not idempotent.")
    original_create_service(self)
    service = _find_service(backend, params.get("cluster"), params["serviceName"])
    service.deployment_configuration = params.get("deploymentConfiguration") or {}
    service.events = []
    now = lifecycle.now()
    if service.task_definition and service.deployment_controller.get("type", "ECS") == "ECS":
        lifecycle.start_deployment(service, backend.describe_task_definition(service.task_definition), now)
        lifecycle.advance(service, now)
    return json.dumps({"service": service.response_object})


def _existing_service(backend, params: dict):
    try:
        service = _find_service(backend, params.get("cluster"), params["serviceName"])
    except ServiceNotFoundException:
        return None
    return service if service.status in ("ACTIVE", "DRAINING") else None


def _first_task_definition(service):
    deployments = getattr(service, "_sb_deployments", [])
    return deployments[0].target_revision.task_definition.arn if deployments else service.task_definition


class ServiceNotActiveException(JsonRESTError):
    code = 400

    def __init__(self) -> None:
        super().__init__(error_type="ServiceNotActiveException", message="Service was not ACTIVE.")


def update_service(self):
    params = _body(self)
    backend = self.ecs_backend
    service = _find_service(backend, params.get("cluster"), params["service"])
    if service.status != "ACTIVE":
        raise ServiceNotActiveException()
    before = {key: json.dumps(service.response_object.get(key), sort_keys=True, default=str) for key in DEPLOYMENT_PARAMETERS}
    previous_task_definition = service.task_definition
    original_update_service(self)
    now = lifecycle.now()
    task_definition = backend.describe_task_definition(service.task_definition) if service.task_definition else None
    if task_definition is not None:
        service.task_definition = task_definition.arn
    changed = [
        key
        for key in DEPLOYMENT_PARAMETERS
        if key in params and json.dumps(params[key], sort_keys=True, default=str) != before[key]
    ]
    triggered = (
        params.get("forceNewDeployment") is True
        or (task_definition is not None and task_definition.arn != previous_task_definition)
        or bool(changed)
    )
    if triggered and task_definition is not None and service.status == "ACTIVE":
        lifecycle.start_deployment(service, task_definition, now)
    elif service.task_definition != previous_task_definition:
        service.task_definition = previous_task_definition
    lifecycle.advance(service, now)
    return json.dumps({"service": service.response_object})


def list_service_deployments(self):
    params = _body(self)
    service = _find_service(self.ecs_backend, params.get("cluster"), params["service"])
    statuses = params.get("status") or []
    created = params.get("createdAt") or {}
    deployments = [
        d
        for d in reversed(getattr(service, "_sb_deployments", []))
        if (not statuses or d.status in statuses)
        and ("after" not in created or d.created_at >= _epoch(created["after"]))
        and ("before" not in created or d.created_at <= _epoch(created["before"]))
    ]
    start = int(params.get("nextToken") or 0)
    size = max(1, min(int(params.get("maxResults") or 20), 100))
    page = deployments[start : start + size]
    answer = {"serviceDeployments": [d.to_brief() for d in page]}
    if start + size < len(deployments):
        answer["nextToken"] = str(start + size)
    return json.dumps(answer)


def _epoch(value) -> float:
    if isinstance(value, (int, float)):
        return float(value)
    return datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp()


def _all_deployments(backend):
    for service in backend.services.values():
        yield from getattr(service, "_sb_deployments", [])


def describe_service_deployments(self):
    arns = _body(self).get("serviceDeploymentArns") or []
    known = {d.arn: d for d in _all_deployments(self.ecs_backend)}
    now = lifecycle.now()
    return json.dumps(
        {
            "serviceDeployments": [known[arn].to_api(now) for arn in arns if arn in known],
            "failures": [{"arn": arn, "reason": "MISSING"} for arn in arns if arn not in known],
        }
    )


def describe_service_revisions(self):
    arns = _body(self).get("serviceRevisionArns") or []
    known = {}
    for deployment in _all_deployments(self.ecs_backend):
        known[deployment.target_revision.arn] = deployment.target_revision
    return json.dumps(
        {
            "serviceRevisions": [known[arn].to_api() for arn in arns if arn in known],
            "failures": [{"arn": arn, "reason": "MISSING"} for arn in arns if arn not in known],
        }
    )


def stop_service_deployment(self):
    params = _body(self)
    arn = params.get("serviceDeploymentArn")
    stop_type = params.get("stopType") or "ROLLBACK"
    deployment = next((d for d in _all_deployments(self.ecs_backend) if d.arn == arn), None)
    if deployment is None:
        raise ServiceNotFoundException
    if stop_type != "ROLLBACK":
        raise InvalidParameterException(f"The sandbox supports stopType ROLLBACK only, not {stop_type}.")
    if deployment.status in ("PENDING", "IN_PROGRESS"):
        if not deployment.sources:
            raise InvalidParameterException("The service deployment has no source service revision to roll back to.")
        now = lifecycle.now()
        lifecycle.fail_deployment(
            deployment.service, deployment, now, "Service deployment rolled back by StopServiceDeployment.", requested=True
        )
        lifecycle.advance(deployment.service, now)
    elif deployment.status not in ("STOP_REQUESTED", "ROLLBACK_REQUESTED", "ROLLBACK_IN_PROGRESS"):
        raise InvalidParameterException(
            f"The service deployment is {deployment.status} and can no longer be stopped."
        )
    return json.dumps({"serviceDeploymentArn": arn})


# --- the service as DescribeServices shows it ---------------------------------------------------------------

original_service_response = Service.response_object.fget


def service_response(self):
    answer = original_service_response(self)
    if not hasattr(self, "_sb_rollouts"):
        return answer
    now = lifecycle.now()
    rollouts = [r for r in self._sb_rollouts if r.status != "INACTIVE"]
    rollouts.sort(key=lambda r: r.status != "PRIMARY")
    deployments = []
    for rollout in rollouts:
        entry = {
            "id": rollout.id,
            "status": rollout.status,
            "taskDefinition": rollout.revision.task_definition.arn,
            "desiredCount": self.desired_count
            if rollout.status == "PRIMARY"
            else lifecycle._active_count(self, rollout, now),
            "pendingCount": lifecycle._pending_count(self, rollout, now),
            "runningCount": lifecycle._running_count(self, rollout, now),
            "failedTasks": rollout.failed_tasks,
            "createdAt": rollout.created_at,
            "updatedAt": rollout.updated_at,
            "launchType": rollout.revision.launch_type,
            "rolloutState": rollout.rollout_state,
            "rolloutStateReason": rollout.rollout_state_reason,
        }
        if rollout.revision.network_configuration:
            entry["networkConfiguration"] = rollout.revision.network_configuration
        if rollout.revision.platform_version:
            entry["platformVersion"] = rollout.revision.platform_version
        deployments.append(entry)
    answer["deployments"] = deployments
    answer["runningCount"] = sum(1 for t in lifecycle.service_tasks(self) if t.status_at(now) == "RUNNING")
    answer["pendingCount"] = sum(
        1 for t in lifecycle.service_tasks(self) if t.status_at(now) in ("PROVISIONING", "PENDING")
    )
    answer["taskDefinition"] = self.task_definition
    answer["deploymentConfiguration"] = lifecycle._deployment_configuration(
        getattr(self, "deployment_configuration", None) or {}
    )
    answer["events"] = [dict(event) for event in self.events]
    if self._sb_deployments:
        answer["currentServiceDeployment"] = self._sb_deployments[-1].arn
    for leftover in ("sbTasks", "sbDeployments", "sbRollouts", "sbProcessedUntil"):
        answer.pop(leftover, None)
    return answer


# --- backend ------------------------------------------------------------------------------------------------

original_list_tasks = EC2ContainerServiceBackend.list_tasks
original_stop_task = EC2ContainerServiceBackend.stop_task
original_delete_service = EC2ContainerServiceBackend.delete_service
original_list_services = EC2ContainerServiceBackend.list_services


def list_tasks(self, cluster_str=None, container_instance=None, family=None, started_by=None, service_name=None, desiredStatus=None):
    # ListTasks lists tasks whose desired status is RUNNING unless asked for another.
    tasks = original_list_tasks(
        self, cluster_str, container_instance, family, started_by, None, desiredStatus or "RUNNING"
    )
    if service_name:
        service = self._get_service(cluster_str or "default", service_name.split("/")[-1])
        ids = {r.id for r in getattr(service, "_sb_rollouts", [])}
        tasks = [t for t in tasks if t.started_by in ids]
    return tasks


def stop_task(self, cluster_str, task_str, reason):
    cluster = self._get_cluster(cluster_str)
    task_id = task_str.split("/")[-1]
    for arn, task in self.tasks.get(cluster.name, {}).items():
        if isinstance(task, ServiceTask) and arn.endswith(task_id):
            service = self._get_service(cluster.name, task.sb_service_name)
            lifecycle.stop_task(service, task, lifecycle.now(), reason)
            return task
    return original_stop_task(self, cluster_str, task_str, reason)


def delete_service(self, cluster_name, service_name, force):
    service = original_delete_service(self, cluster_name, service_name, force)
    if hasattr(service, "_sb_rollouts"):
        lifecycle.delete_service(service, lifecycle.now())
    return service


def list_services(self, cluster_str, scheduling_strategy=None, launch_type=None):
    # ECS: a deleted service "is no longer visible in the console or in the ListServices API operation", both
    # DRAINING and INACTIVE (DescribeServices still shows it).
    arns = original_list_services(self, cluster_str, scheduling_strategy, launch_type)
    inactive = {s.arn for s in self.services.values() if s.status in ("DRAINING", "INACTIVE")}
    return [arn for arn in arns if arn not in inactive]


# --- ELBv2 --------------------------------------------------------------------------------------------------

original_health_for = FakeTargetGroup.health_for
original_describe_target_health = ELBV2Response.describe_target_health


def health_for(self, target, ec2_backend):
    key = lifecycle.target_key(target["id"], target.get("port"))
    task = getattr(self, "_sb_tasks", {}).get(key)
    if task is None:
        return original_health_for(self, target, ec2_backend)
    health = lifecycle.target_health(task, lifecycle.now())
    port = self.targets.get(key, {}).get("port", target.get("port", self.port))
    return FakeHealthStatus(
        target["id"], port, self.healthcheck_port, health["state"], health["reason"], health["description"]
    )


def describe_target_health(self):
    with lifecycle.LOCK:
        _advance_backend(ecs_backends[self.current_account][self.region], lifecycle.now())
        return original_describe_target_health(self)


# --- task definitions ---------------------------------------------------------------------------------------

TASK_DEFINITION_GONE = "DELETE_IN_PROGRESS"


def _find_task_definition(backend, name_or_arn: str):
    name = name_or_arn.split("/")[-1]
    if ":" not in name:
        return None
    family, revision = name.split(":", 1)
    try:
        return backend.task_definitions.get(family, {}).get(int(revision))
    except ValueError:
        return None


def delete_task_definitions(self):
    """DeleteTaskDefinitions, which moto lacks: each INACTIVE revision goes to DELETE_IN_PROGRESS (ECS deletes it
    later; its revision number is never reused), an ACTIVE one or an unknown one is a failure, as ECS answers."""
    names = _body(self).get("taskDefinitions") or []
    if not names or len(names) > 10:
        raise InvalidParameterException("taskDefinitions must name between 1 and 10 task definition revisions.")
    deleted, failures = [], []
    for name in names:
        definition = _find_task_definition(self.ecs_backend, name)
        if definition is None or definition.status == TASK_DEFINITION_GONE:
            failures.append({"arn": name, "reason": "The specified task definition does not exist."})
        elif definition.status == "ACTIVE":
            failures.append(
                {
                    "arn": definition.arn,
                    "reason": "The specified task definition is still in ACTIVE status. Please deregister the target and try again.",
                }
            )
        else:
            definition.status = TASK_DEFINITION_GONE
            deleted.append(definition.response_object["taskDefinition"])
    return json.dumps({"taskDefinitions": deleted, "failures": failures})


original_deregister_task_definition = EC2ContainerServiceBackend.deregister_task_definition


def deregister_task_definition(self, task_definition_str: str):
    """A revision being deleted cannot be deregistered again (moto would make it INACTIVE, deletable twice)."""
    definition = _find_task_definition(self, task_definition_str)
    if definition is not None and definition.status == TASK_DEFINITION_GONE:
        raise EcsClientException("The specified task definition is in DELETE_IN_PROGRESS status.")
    return original_deregister_task_definition(self, task_definition_str)


original_list_task_definitions = EC2ContainerServiceBackend.list_task_definitions


def list_task_definitions(self, family_prefix):
    """Revisions being deleted are not listed (ECS lists them only when asked for DELETE_IN_PROGRESS)."""
    return [
        arn
        for arn in original_list_task_definitions(self, family_prefix)
        if (_find_task_definition(self, arn) is None or _find_task_definition(self, arn).status != TASK_DEFINITION_GONE)
    ]


PATCHES = [
    (EC2ContainerServiceResponse, "call_action", call_action),
    (EC2ContainerServiceResponse, "create_service", create_service),
    (EC2ContainerServiceResponse, "update_service", update_service),
    (EC2ContainerServiceResponse, "list_service_deployments", list_service_deployments),
    (EC2ContainerServiceResponse, "describe_service_deployments", describe_service_deployments),
    (EC2ContainerServiceResponse, "describe_service_revisions", describe_service_revisions),
    (EC2ContainerServiceResponse, "stop_service_deployment", stop_service_deployment),
    (EC2ContainerServiceResponse, "delete_task_definitions", delete_task_definitions),
    (EC2ContainerServiceBackend, "list_task_definitions", list_task_definitions),
    (EC2ContainerServiceBackend, "deregister_task_definition", deregister_task_definition),
    (Service, "response_object", property(service_response)),
    (EC2ContainerServiceBackend, "list_tasks", list_tasks),
    (EC2ContainerServiceBackend, "stop_task", stop_task),
    (EC2ContainerServiceBackend, "delete_service", delete_service),
    (EC2ContainerServiceBackend, "list_services", list_services),
    (FakeTargetGroup, "health_for", health_for),
    (ELBV2Response, "describe_target_health", describe_target_health),
]


def apply() -> None:
    """Installs every patch; serve.py calls it once, before the server starts."""
    for owner, name, replacement in PATCHES:
        setattr(owner, name, replacement)
