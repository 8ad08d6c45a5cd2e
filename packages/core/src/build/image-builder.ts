/** One build: a context built once and pushed under one reference. */
export interface BuildRequest {
  service: string;
  /** Absolute path of the build context. */
  context: string;
  /** Dockerfile path, absolute or relative to the context. */
  dockerfile: string;
  labels: ReadonlyMap<string, string>;
  buildArgs: ReadonlyMap<string, string>;
  platforms: readonly string[];
  /** `host/repository:tag` to push to. */
  reference: string;
  push: boolean;
  /** Plain-HTTP registry (localhost), as docker treats it. */
  insecure: boolean;
  /** A docker-config-style auth file for the push, when we hold the credentials. */
  authFile?: string;
}

/** What a build produced. */
export interface BuildResult {
  /** The manifest digest the registry stored, '' when not pushed. */
  digest: string;
}

/** A way to build and push images: docker buildx on hosted runners, buildah without a daemon. */
export interface ImageBuilder {
  readonly name: 'docker' | 'buildah';
  build(request: BuildRequest): Promise<BuildResult>;
}
