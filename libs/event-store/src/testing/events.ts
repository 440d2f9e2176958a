import { randomUUID } from 'node:crypto';
import type { EventMetadataInput, EventToAppend } from '../port';

/** Metadata for one write by a placement officer, with fresh command, correlation and causation ids. */
export function someMetadata(): EventMetadataInput {
  return {
    commandId: randomUUID(),
    correlationId: randomUUID(),
    causationId: randomUUID(),
    actor: { id: 'officer-1', role: 'placement-officer' },
  };
}

/** An event to append with a fresh id and metadata; `extra` sets the rest (a schema version, another id). */
export function anEvent(
  type: string,
  data: Record<string, unknown> = {},
  extra: Partial<EventToAppend<Record<string, unknown>>> = {},
): EventToAppend<Record<string, unknown>> {
  return { id: randomUUID(), type, data, metadata: someMetadata(), ...extra };
}
