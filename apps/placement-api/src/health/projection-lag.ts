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

/** What `/health/ready` says about the read models, and why (names, positions, states and ages only). */
export interface Readiness {
  readonly ready: boolean;
  readonly details: {
    readonly maxLagSeconds: number;
    readonly lagSeconds: number;
    readonly oldestUnappliedPosition: string | null;
    readonly projections: readonly { readonly name: string; readonly position: string; readonly state: string }[];
    readonly failed?: readonly string[];
    readonly rebuilding?: readonly string[];
  };
}

/**
 * Ready when no projection has failed, none is rebuilding because the log changed under it (its
 * figures are wrong until it is done, however recent the log's first event), and the oldest
 * unapplied event is no older than `maxLagSeconds`. Catching up within the bound is ready.
 */
export function readiness(statuses: readonly ProjectionStatus[], lag: ProjectionLag, maxLagSeconds: number): Readiness {
  const named = (state: ProjectionStatus['state']) => statuses.filter((s) => s.state === state).map((s) => s.name);
  const failed = named('failed');
  const rebuilding = named('rebuilding');
  return {
    ready: failed.length === 0 && rebuilding.length === 0 && lag.lagSeconds <= maxLagSeconds,
    details: {
      maxLagSeconds,
      lagSeconds: lag.lagSeconds,
      oldestUnappliedPosition: lag.oldestUnapplied?.position ?? null,
      projections: statuses.map((s) => ({ name: s.name, position: s.position.toString(), state: s.state })),
      ...(failed.length > 0 ? { failed } : {}),
      ...(rebuilding.length > 0 ? { rebuilding } : {}),
    },
  };
}
