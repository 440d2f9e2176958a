import type { Clock, EventStore } from '@placement/event-store';
import type { ProjectionStatus } from '@placement/projections';

export interface ProjectionLag {
  /** The first event some projection has not applied yet, or null when every one is at the head. */
  readonly oldestUnapplied: { readonly position: string; readonly recordedAt: string } | null;
  /** How long ago that event was recorded (0 when there is none). */
  readonly lagSeconds: number;
}

/**
 * How far behind the log the read models are, in time: the age of the oldest event that a
 * projection has not applied. A count of events would mean different things on the two stores
 * (EventStoreDB positions are byte offsets); an age means the same thing to an operator: the
 * figures an officer sees may be this old. Failed projections are left to the caller.
 */
export async function projectionLag(
  store: EventStore,
  statuses: readonly ProjectionStatus[],
  clock: Clock,
): Promise<ProjectionLag> {
  const running = statuses.filter((s) => s.state !== 'failed');
  if (running.length === 0) return { oldestUnapplied: null, lagSeconds: 0 };
  const lowest = running.reduce((min, s) => (s.position < min ? s.position : min), running[0].position);
  const [next] = await store.readAll({ after: lowest, maxCount: 1 });
  if (next === undefined) return { oldestUnapplied: null, lagSeconds: 0 };
  const ageMs = clock.now().getTime() - Date.parse(next.metadata.recordedAt);
  return {
    oldestUnapplied: { position: next.position.toString(), recordedAt: next.metadata.recordedAt },
    lagSeconds: Math.max(0, Math.round(ageMs / 100) / 10),
  };
}
