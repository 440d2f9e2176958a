import type { RecordedEvent } from '@placement/event-store';

// A full instant with a zone: a bare local time would mean a different moment on every server.
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * The instant as a canonical ISO string (UTC, milliseconds), or null when it is not a real
 * ISO-8601 instant with a zone.
 */
export function parseAsOf(value: string): string | null {
  const match = INSTANT.exec(value.trim());
  if (match === null) return null;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(match[i] ?? '0'));
  // Date.parse rolls 31 February over into March; the calendar must not.
  const calendar = new Date(Date.UTC(year, month - 1, day));
  if (calendar.getUTCFullYear() !== year || calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day)
    return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  const ms = Date.parse(value.trim());
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/**
 * What the record held at `asOf`: only events the store had recorded by then. Business
 * dates and effectiveAt do not count, so a back-dated event stays invisible until it was written.
 */
export function recordedBy(asOf: string | null): (event: RecordedEvent) => boolean {
  if (asOf === null) return () => true;
  const limit = Date.parse(asOf);
  return (event) => Date.parse(event.metadata.recordedAt) <= limit;
}
