import { join } from 'node:path';
import { buildIfStale } from '../../tools/build/build-if-stale';

const root = join(__dirname, '..', '..');

/**
 * Makes dist/ current for the tests that run the compiled plan CLI: the same check as `npm run plan`
 * (tools/build/build-if-stale.ts), so a jest run compiles only when a source changed, and jest's workers
 * (which share the check's lock) never write dist/ at the same time.
 */
export function ensureCompiled(): void {
  const outcome = buildIfStale(root);
  if (outcome.status !== 0) throw new Error(`build failed (${outcome.reason}):\n${outcome.output}`);
}
