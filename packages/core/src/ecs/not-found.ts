const GONE_NAMES = new Set(['ServiceNotFoundException', 'ServiceNotActiveException']);
const GONE_MESSAGE = /does not exist|not found|unable to describe task definition|is inactive/i;

/**
 * True when an ECS error means the thing asked about is already gone. ECS reports a missing
 * task definition as a generic ClientException, so its message is read as well.
 */
export function isEcsNotFound(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (GONE_NAMES.has(error.name)) return true;
  return error.name === 'ClientException' && GONE_MESSAGE.test(error.message);
}
