const ABSENT_NAMES = new Set([
  'UnknownOperationException',
  'UnknownOperation',
  'InvalidAction',
  'InvalidActionException',
  'NotImplemented',
  'NotImplementedException',
  'UnsupportedOperation',
  'UnsupportedOperationException',
]);

/**
 * True when an answer means this endpoint does not offer the ECS service-deployment APIs
 * (ListServiceDeployments, DescribeServiceDeployments, DescribeServiceRevisions) at all, as
 * opposed to a transient failure: an unknown-operation error, a 404 or 501, or an answer that is
 * not an AWS error body (an emulator's HTML 500 page fails to deserialize). Real ECS answers its
 * own errors in JSON, so a deserialization failure is never mistaken for an ECS outage there.
 */
export function isDeploymentApiAbsent(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (ABSENT_NAMES.has(error.name)) return true;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (status === 404 || status === 501) return true;
  return status !== undefined && status >= 500 && /Deserialization error|is not valid JSON/.test(error.message);
}

const DENIED_NAMES = new Set(['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation']);

/**
 * True when the role may not call a service-deployment API (a policy written before this
 * action used them). The wait then falls back with a warning that names the permission, rather
 * than failing, and so rolling back, a deployment that may be fine.
 */
export function isDeploymentApiDenied(error: unknown): boolean {
  return error instanceof Error && (DENIED_NAMES.has(error.name) || /is not authorized to perform/.test(error.message));
}
