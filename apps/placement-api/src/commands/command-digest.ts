import { createHash } from 'node:crypto';
import type { CommandDigest } from '@placement/event-store';

/** Hex characters kept of each leaf's SHA-256: 64 bits, so two different values never pass for one. */
const HASH_CHARS = 16;

/**
 * The digest of a command as the API received it — the validated body with the route's
 * parameters, never who sent it or when: each leaf field's path (`unit.bedId`,
 * `milestones[0].kind`) → a short SHA-256 of the command id, the path and the value. Every
 * event the command writes carries it in its metadata, so the same command id sent again can
 * be told from the same id reused for another request, and the first field that differs can
 * be named without copying a value into the metadata.
 *
 * It is not encryption: a value with few possibilities (a date) can be found from its hash by
 * trial, as it can be read from the event's data anyway. The command id in the hash keeps
 * equal values in different commands from looking alike. An absent field and `null` are the
 * same (the handlers treat them so); an empty list or object is a leaf of its own.
 */
export function commandDigest(commandId: string, command: unknown): CommandDigest {
  const digest: Record<string, string> = {};
  const leaf = (path: string, value: unknown) => {
    digest[path] = createHash('sha256')
      .update(`${commandId}\u0000${path}\u0000${JSON.stringify(value)}`)
      .digest('hex')
      .slice(0, HASH_CHARS);
  };
  const walk = (value: unknown, path: string): void => {
    if (value === null || value === undefined) return;
    if (Array.isArray(value)) {
      if (value.length === 0) leaf(path, []);
      value.forEach((item, i) => walk(item, `${path}[${i}]`));
      return;
    }
    if (typeof value === 'object') {
      const entries = Object.entries(value).filter(([, v]) => v !== null && v !== undefined);
      if (entries.length === 0) leaf(path, {});
      for (const [key, v] of entries) walk(v, path === '' ? key : `${path}.${key}`);
      return;
    }
    leaf(path, value);
  };
  walk(command, '');
  return digest;
}

/**
 * The first field whose value differs between a recorded digest and a new one, in the order
 * the new request gives its fields (then any field only the recorded one has); null when the
 * two are the same request.
 */
export function firstDifference(recorded: CommandDigest, sent: CommandDigest): string | null {
  for (const [path, hash] of Object.entries(sent)) if (recorded[path] !== hash) return path;
  for (const path of Object.keys(recorded)) if (!(path in sent)) return path;
  return null;
}
