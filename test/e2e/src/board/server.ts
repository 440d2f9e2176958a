import type { TestClock } from '../support/clock';
import { startServer, type TestServer } from '../support/server';

/**
 * The real API (the same bootstrap as `npm start`) on a real SQLite file with the demo estate
 * seeded, as a person finds it after `npm start`; on the e2e TestClock (30 November 2026).
 */
export function startBoard(env: Record<string, string> = {}, clock?: TestClock): Promise<TestServer> {
  return startServer({ SEED_DEMO_ESTATE: 'true', ...env }, { clock });
}
