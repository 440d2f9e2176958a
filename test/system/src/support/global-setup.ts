import { ensureBuilt } from './build';

/** Jest global setup: one build for every system spec (each spawns the compiled API). */
export default function globalSetup(): void {
  ensureBuilt();
}
