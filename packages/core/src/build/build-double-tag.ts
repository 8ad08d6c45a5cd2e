import { resolve } from 'node:path';
import { ConfigurationError } from '../action/errors.js';
import type { Logger } from '../action/logger.js';
import { copyManifest } from '../registry/copy-manifest.js';
import type { ManifestDescriptor, ManifestStore } from '../registry/manifest-store.js';
import { defaultScheme } from '../registry/oci-client.js';
import { readTagDigests, verifyTagsResolveTo } from '../registry/tag-digests.js';
import { validateTag } from '../registry/validate-tag.js';
import { resolveServiceImages, type ServiceImage } from '../release/service-images.js';
import { isImmutableTag } from '../release/target-tags.js';
import { mapConcurrent } from '../util/map-concurrent.js';
import type { BuildTarget } from './build-targets.js';
import type { ImageBuilder } from './image-builder.js';

export interface BuildDoubleTagRequest {
  targets: readonly BuildTarget[];
  imagePattern: string;
  registry: string;
  versionTag: string;
  /** The fixed environment tag (`test`); '' for none. */
  envTag: string;
  extraTags: readonly string[];
  dockerfile: string;
  buildArgs: ReadonlyMap<string, string>;
  platforms: readonly string[];
  labels: ReadonlyMap<string, string>;
  push: boolean;
  /** Whether the registry refuses to overwrite tags (an immutable ECR repository). */
  immutable: boolean;
  workspace: string;
}

export interface BuildDoubleTagDeps {
  builder: ImageBuilder;
  storeFor(host: string): Promise<ManifestStore>;
  /** An auth file for the builder's push, when we hold the host's credentials. */
  authFileFor?(host: string): Promise<string | undefined>;
  log: Logger;
  /** Builds at once; builds are CPU-bound, so keep this small. */
  concurrency?: number;
}

/** What happened to one service. */
export interface BuiltImage {
  service: string;
  image: string;
  digest: string;
  tags: string[];
  /** `built`: built and pushed now; `reused`: an earlier build of this commit or version was tagged instead. */
  outcome: 'built' | 'reused' | 'not-pushed';
}

/** A tag naming the commit (`sha-{sha7}`), which proves where a build came from. */
const SHA_TAG = /^sha-/;

type Decision =
  { kind: 'build' } | { kind: 'reuse'; digest: string; from: string } | { kind: 'conflict'; reason: string };

function imageName(image: ServiceImage): string {
  return `${image.image.host}/${image.image.repository}`;
}

/**
 * Decides, from what the tags hold before anything is built, whether a service must be built,
 * can reuse an earlier build of the same commit, or conflicts with an immutable tag.
 */
function decide(
  image: ServiceImage,
  found: ReadonlyMap<string, ManifestDescriptor | null>,
  request: BuildDoubleTagRequest,
): Decision {
  const name = imageName(image);
  const immutable = [request.versionTag, ...request.extraTags.filter(isImmutableTag)];
  const held = immutable.flatMap((tag) => (found.get(tag) ? [{ tag, digest: found.get(tag)!.digest }] : []));
  const digests = new Set(held.map((h) => h.digest));
  if (digests.size > 1) {
    return { kind: 'conflict', reason: `${name}: ${held.map((h) => `:${h.tag} holds ${h.digest}`).join(', ')}` };
  }
  if (request.immutable && request.envTag && found.get(request.envTag)) {
    return {
      kind: 'conflict',
      reason: `${name}:${request.envTag} exists and the repository is immutable, so it cannot move: allow that tag to change (ECR: IMMUTABLE_WITH_EXCLUSION) or set env-tag to ''`,
    };
  }
  const version = found.get(request.versionTag);
  const commitTag = request.extraTags.find((tag) => SHA_TAG.test(tag) && found.get(tag));
  if (version && !commitTag) {
    return {
      kind: 'conflict',
      reason: `${name}:${request.versionTag} already exists (${version.digest}) and no sha tag proves it was built from this commit: push a new version`,
    };
  }
  if (held.length > 0 && commitTag) return { kind: 'reuse', digest: held[0]!.digest, from: commitTag };
  return { kind: 'build' };
}

/** Points every tag of `tags` that does not hold `digest` at it, copying the exact manifest bytes. */
async function tagAll(
  store: ManifestStore,
  repository: string,
  digest: string,
  tags: readonly string[],
  found: ReadonlyMap<string, ManifestDescriptor | null>,
) {
  const missing = tags.filter((tag) => found.get(tag)?.digest !== digest);
  if (missing.length === 0) return;
  const manifest = await store.getManifest(repository, digest);
  if (!manifest) throw new Error(`${store.host}/${repository}@${digest} vanished while tagging it`);
  await mapConcurrent(missing, 4, (tag) => copyManifest(store, repository, tag, manifest));
}

/**
 * Builds each service once and pushes that one build under its version tag, its environment
 * tag and extra tags, then proves every tag resolves to one digest.
 * Every tag is checked before anything is built: an immutable tag holding another build fails
 * the whole run, naming every conflict; a service whose commit was already built is reused,
 * so re-runs are safe on immutable repositories.
 */
export async function buildDoubleTag(request: BuildDoubleTagRequest, deps: BuildDoubleTagDeps): Promise<BuiltImage[]> {
  validateTag(request.versionTag, "Input 'version-tag'");
  if (request.envTag) validateTag(request.envTag, "Input 'env-tag'");
  request.extraTags.forEach((tag) => validateTag(tag, "Input 'extra-tags'"));
  const tags = [...new Set([request.versionTag, ...(request.envTag ? [request.envTag] : []), ...request.extraTags])];
  const images = resolveServiceImages(
    request.targets.map((t) => t.service),
    request.imagePattern,
    request.registry,
  );

  const checks = await mapConcurrent(images, 4, async (image) => {
    const store = await deps.storeFor(image.image.host);
    const found = await readTagDigests(store, image.image.repository, tags);
    return { image, store, found, decision: decide(image, found, request) };
  });
  const conflicts = checks.flatMap((c) => (c.decision.kind === 'conflict' ? [c.decision.reason] : []));
  if (conflicts.length > 0) {
    throw new ConfigurationError(`Nothing was built: ${conflicts.join('; ')}`);
  }

  return mapConcurrent(
    checks,
    deps.concurrency ?? 2,
    async ({ image, store, found, decision }, i): Promise<BuiltImage> => {
      const { repository, host } = image.image;
      const base = { service: image.service, image: imageName(image), tags };
      if (decision.kind === 'reuse') {
        deps.log.info(
          `${base.image}: ${decision.from} already holds this commit's build ${decision.digest}; tagging it instead of rebuilding`,
        );
        if (request.push) {
          await tagAll(store, repository, decision.digest, tags, found);
          await verifyTagsResolveTo(store, repository, tags, decision.digest);
        }
        return { ...base, digest: decision.digest, outcome: 'reused' };
      }
      const target = request.targets[i]!;
      // The builder pushes under the commit's sha tag first: a run that fails after that push (a lost
      // answer, a tag copy that keeps failing) leaves the proof a re-run reuses. Pushed under the version
      // tag first, a version without a sha tag would make every re-run refuse to build.
      const firstTag = request.extraTags.find((tag) => SHA_TAG.test(tag)) ?? request.versionTag;
      const authFile = request.push ? await deps.authFileFor?.(host) : undefined;
      const built = await deps.builder.build({
        service: image.service,
        context: resolve(request.workspace, target.context),
        dockerfile: request.dockerfile,
        labels: request.labels,
        buildArgs: request.buildArgs,
        platforms: request.platforms,
        reference: `${base.image}:${firstTag}`,
        push: request.push,
        insecure: defaultScheme(host) === 'http',
        ...(authFile && { authFile }),
      });
      if (!request.push) return { ...base, digest: '', outcome: 'not-pushed' };
      const pushed = new Map(found);
      pushed.set(firstTag, { digest: built.digest, mediaType: '' });
      await tagAll(store, repository, built.digest, tags, pushed);
      await verifyTagsResolveTo(store, repository, tags, built.digest);
      deps.log.info(`${base.image}: built ${built.digest}, tagged ${tags.join(', ')}`);
      return { ...base, digest: built.digest, outcome: 'built' };
    },
  );
}
