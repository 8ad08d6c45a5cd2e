import type { Standin } from '../standin-api.js';
import { standinCatalog } from './catalog.js';

/**
 * The stand-ins for third-party actions, by `uses:` owner/name without the @ref (e.g. `actions/checkout`).
 * Each module under this folder implements one (catalog.ts lists them); a step whose action is neither ours nor
 * listed here is refused.
 */
export const standins: Record<string, Standin> = standinCatalog;
