"""Resolves an image reference to the digest ECS would record and to the behaviour the image declares.

ECS resolves each container's image tag to a digest when a deployment starts (software version consistency),
and the sandbox does the same against the registries it runs (read from .sandbox/endpoints.json, whose path is
in SANDBOX_ENDPOINTS_FILE) and against moto's own ECR. The tag's digest is the digest of whatever manifest the
registry returns for it: for a multi-arch image that is the image index (manifest list), not a platform manifest.
The behaviour comes from the OCI config label `sandbox.ecs.behaviour` (for an index: of its linux/amd64 image).
"""

import base64
import hashlib
import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Dict, Optional, Tuple

BEHAVIOUR_LABEL = "sandbox.ecs.behaviour"

MANIFEST_TYPES = ", ".join(
    [
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json",
    ]
)
INDEX_TYPES = (
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
)
ECR_HOST = re.compile(r"^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com$")


@dataclass
class Behaviour:
    """What a task of the image does: healthy, crash, unhealthy, or slow (running and healthy after `seconds`)."""

    kind: str = "healthy"
    seconds: float = 0.0


@dataclass
class ResolvedImage:
    image: str
    digest: Optional[str] = None
    behaviour: Behaviour = field(default_factory=Behaviour)
    # ECS's wording when the image cannot be pulled; tasks then fail to start with it.
    pull_error: Optional[str] = None


class PullError(Exception):
    pass


def parse_behaviour(label: Optional[str]) -> Behaviour:
    """`healthy` (also when absent), `crash`, `unhealthy`, `slow=<seconds>`; anything else is a crash, as a bad
    entrypoint would be."""
    if label is None or label.strip() == "" or label.strip() == "healthy":
        return Behaviour("healthy")
    value = label.strip()
    if value in ("crash", "unhealthy"):
        return Behaviour(value)
    match = re.fullmatch(r"slow=(\d+(?:\.\d+)?)", value)
    if match:
        return Behaviour("slow", float(match.group(1)))
    return Behaviour("crash")


def split_reference(image: str) -> Tuple[str, str, str]:
    """host, repository, tag-or-digest of `host/repo[:tag|@digest]`; a reference without a registry host is
    Docker Hub's, as for ECS."""
    name, sep, digest = image.partition("@")
    reference = digest if sep else "latest"
    first, slash, rest = name.partition("/")
    if slash and ("." in first or ":" in first or first == "localhost"):
        host, path = first, rest
    else:
        host, path = "registry-1.docker.io", name if slash else f"library/{name}"
    if not sep:
        colon = path.rfind(":")
        if colon > 0:
            path, reference = path[:colon], path[colon + 1 :]
    return host, path, reference


def _registries() -> Dict[str, dict]:
    path = os.environ.get("SANDBOX_ENDPOINTS_FILE")
    if not path or not os.path.exists(path):
        return {}
    with open(path, encoding="utf-8") as handle:
        endpoints = json.load(handle)
    known = {}
    for registry in endpoints.get("registries", {}).values():
        known[registry["host"]] = registry
        known[registry["directHost"]] = registry
    return known


class _Client:
    """Just enough of the distribution API: basic auth, or a bearer token fetched from the realm a 401 names."""

    def __init__(self, registry: dict):
        self.base = f"http://{registry['directHost']}"
        basic = f"{registry['username']}:{registry['password']}".encode()
        self.basic = "Basic " + base64.b64encode(basic).decode()
        self.authorization: Optional[str] = None

    def get(self, path: str, accept: str) -> Tuple[bytes, Dict[str, str]]:
        for attempt in range(2):
            request = urllib.request.Request(self.base + path, headers={"Accept": accept})
            if self.authorization:
                request.add_header("Authorization", self.authorization)
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    return response.read(), {k.lower(): v for k, v in response.headers.items()}
            except urllib.error.HTTPError as error:
                if error.code == 401 and attempt == 0:
                    self.authorization = self._authorize(error.headers.get("WWW-Authenticate", ""))
                    continue
                if error.code == 404:
                    raise PullError("not found") from error
                raise PullError(f"unexpected status code {error.code}") from error
            except OSError as error:
                raise PullError(f"dial tcp: {error}") from error
        raise PullError("unauthorized")

    def _authorize(self, challenge: str) -> str:
        if challenge.lower().startswith("basic"):
            return self.basic
        params = dict(re.findall(r'(\w+)="([^"]*)"', challenge))
        query = urllib.parse.urlencode({k: v for k, v in params.items() if k in ("service", "scope")})
        request = urllib.request.Request(f"{params['realm']}?{query}", headers={"Authorization": self.basic})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                body = json.load(response)
        except (urllib.error.HTTPError, OSError) as error:
            raise PullError(f"failed to authorize: {error}") from error
        return "Bearer " + (body.get("token") or body.get("access_token"))


def _resolve_in_registry(registry: dict, repository: str, reference: str) -> Tuple[str, Behaviour]:
    client = _Client(registry)
    body, headers = client.get(f"/v2/{repository}/manifests/{reference}", MANIFEST_TYPES)
    digest = headers.get("docker-content-digest") or "sha256:" + hashlib.sha256(body).hexdigest()
    manifest = json.loads(body)
    media_type = manifest.get("mediaType") or headers.get("content-type", "")
    if media_type in INDEX_TYPES or "manifests" in manifest:
        platforms = manifest.get("manifests", [])
        chosen = next(
            (
                m
                for m in platforms
                if m.get("platform", {}).get("os") == "linux" and m.get("platform", {}).get("architecture") == "amd64"
            ),
            platforms[0] if platforms else None,
        )
        if chosen is None:
            raise PullError("no matching manifest for linux/amd64 in the manifest list entries")
        body, _ = client.get(f"/v2/{repository}/manifests/{chosen['digest']}", MANIFEST_TYPES)
        manifest = json.loads(body)
    config_digest = manifest.get("config", {}).get("digest")
    labels = {}
    if config_digest:
        config_body, _ = client.get(f"/v2/{repository}/blobs/{config_digest}", "*/*")
        labels = (json.loads(config_body).get("config") or {}).get("Labels") or {}
    return digest, parse_behaviour(labels.get(BEHAVIOUR_LABEL))


def _resolve_in_ecr(account: str, region: str, repository: str, reference: str) -> str:
    from moto.ecr.models import ecr_backends

    repo = ecr_backends[account][region].repositories.get(repository)
    if repo is None:
        raise PullError("not found")
    for image in repo.images:
        if reference == image.image_digest or reference in (image.image_tags or []):
            return image.image_digest
    raise PullError("not found")


def resolve_image(image: str) -> ResolvedImage:
    """The digest and behaviour of `image`, or the CannotPullContainerError a task of it stops with."""
    host, repository, reference = split_reference(image)
    try:
        ecr = ECR_HOST.match(host)
        if ecr:
            # moto's ECR keeps manifests but no blobs, so an ECR image has the default behaviour.
            return ResolvedImage(image, _resolve_in_ecr(ecr.group(1), ecr.group(2), repository, reference))
        registry = _registries().get(host)
        if registry is None:
            raise PullError(f"dial tcp: lookup {host}: no such host (the sandbox reaches only its own registries)")
        digest, behaviour = _resolve_in_registry(registry, repository, reference)
        return ResolvedImage(image, digest, behaviour)
    except PullError as error:
        return ResolvedImage(
            image,
            pull_error=(
                "CannotPullContainerError: pull image manifest has been retried 7 time(s): "
                f"failed to resolve ref {image}: {image}: {error}"
            ),
        )
