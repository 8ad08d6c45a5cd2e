import type { ManifestDescriptor } from './manifest-store.js';

/**
 * What promotion does to one target tag:
 * - `noop`: it already holds the source digest;
 * - `create`: it does not exist;
 * - `move`: a mutable (environment) tag holds another digest and will be moved;
 * - `conflict`: an immutable (version) tag holds another digest; nothing may be written.
 */
export type TargetAction = 'noop' | 'create' | 'move' | 'conflict';

/** The decision for one target tag, with the digest it held before (if any). */
export interface TargetDecision {
  action: TargetAction;
  previousDigest?: string;
}

/** Decides what to do with a target tag given what it holds now (null: missing). */
export function classifyTarget(
  current: ManifestDescriptor | null,
  sourceDigest: string,
  immutable: boolean,
): TargetDecision {
  if (!current) return { action: 'create' };
  if (current.digest === sourceDigest) return { action: 'noop', previousDigest: current.digest };
  return { action: immutable ? 'conflict' : 'move', previousDigest: current.digest };
}
