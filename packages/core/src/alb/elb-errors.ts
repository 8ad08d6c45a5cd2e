const NOT_FOUND = new Set([
  'TargetGroupNotFoundException',
  'TargetGroupNotFound',
  'RuleNotFoundException',
  'RuleNotFound',
  'ListenerNotFoundException',
  'ListenerNotFound',
  'LoadBalancerNotFoundException',
  'LoadBalancerNotFound',
]);

function nameOf(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

/** True when ELBv2 says the resource asked about does not exist (deleting it is then already done). */
export function isElbNotFound(error: unknown): boolean {
  const name = nameOf(error);
  return name !== undefined && NOT_FOUND.has(name);
}

/** True when a listener rule priority is already taken (another deploy got there first). */
export function isPriorityInUse(error: unknown): boolean {
  const name = nameOf(error);
  return name === 'PriorityInUseException' || name === 'PriorityInUse';
}

/** True when a target group cannot go yet because a rule or listener still forwards to it. */
export function isResourceInUse(error: unknown): boolean {
  const name = nameOf(error);
  return name === 'ResourceInUseException' || name === 'ResourceInUse';
}

/** True when a target group of that name exists with other settings. */
export function isDuplicateTargetGroupName(error: unknown): boolean {
  const name = nameOf(error);
  return name === 'DuplicateTargetGroupNameException' || name === 'DuplicateTargetGroupName';
}
