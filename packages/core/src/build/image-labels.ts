/** The OCI annotations every image we build carries, so any tag can be traced to its commit. */
export function createImageLabels(facts: {
  version: string;
  revision: string;
  source: string;
  created: Date;
}): Map<string, string> {
  return new Map([
    ['org.opencontainers.image.version', facts.version],
    ['org.opencontainers.image.revision', facts.revision],
    ['org.opencontainers.image.source', facts.source],
    ['org.opencontainers.image.created', facts.created.toISOString()],
  ]);
}
