import { fileURLToPath } from 'node:url';

/** The repository root, wherever the tests are started from. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
