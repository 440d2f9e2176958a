import type { Bench } from '../harness';
import { eventStoreBench } from './event-store';
import { matchingBench } from './matching';
import { ssda903Bench } from './ssda903';
import { projectionsBench } from './projections';
import { auditBench } from './audit';
import { scaleBench } from './scale';
import { buildBench } from './build';

/** Every bench module, run in this order. To add one: write ./<name>.ts exporting a `Bench`, and list it here. */
export const benches: readonly Bench[] = [
  eventStoreBench,
  matchingBench,
  ssda903Bench,
  projectionsBench,
  auditBench,
  buildBench,
  scaleBench,
];
