import { createHash } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';

/** Bump when the file's layout changes: every snapshot written before is then ignored. */
const SNAPSHOT_FORMAT = 1;

let loadedCode: string | undefined;

/**
 * A digest of the code this process runs: every module it has loaded from outside node_modules
 * (the app and the libraries it folds with — upcasters, deciders, the capacity fold), by content.
 * Taken once, at the first snapshot read or write (after start-up has loaded the app), so a
 * snapshot written by a build whose code differs in any file the readers could reach is ignored,
 * not only one whose reader classes changed. (Under jest, which keeps its own module registry,
 * `require.cache` is empty and the parts' own source text is the version.)
 */
function loadedCodeDigest(): string {
  if (loadedCode !== undefined) return loadedCode;
  const modules = Object.keys(require.cache).filter((file) => !file.split(path.sep).includes('node_modules'));
  const contents = modules.map((file) => {
    try {
      return createHash('sha256').update(readFileSync(file)).digest('hex');
    } catch {
      return `unreadable:${path.basename(file)}`;
    }
  });
  loadedCode = createHash('sha256').update(contents.sort().join('\n')).digest('hex');
  return loadedCode;
}

/** One in-memory reader's state in a snapshot: all of it out, and back in. */
export interface SnapshotPart {
  /** Names the part in the file (the reader's class name). */
  readonly name: string;
  /** The code the state was folded by (its source text): another build's snapshot is ignored. */
  readonly code: string;
  /** The whole state, as `v8.serialize` takes it (maps, sets, bigints, undefined). */
  save(): unknown;
  /** Whether `state` has this build's shape (no field more, none less). Changes nothing. */
  fits(state: unknown): boolean;
  /** Takes `state` (one that `fits`) as the reader's own. */
  restore(state: unknown): void;
}

/** Where the readers were when the snapshot was taken: the log position and that event's hash. */
export interface SnapshotAt {
  readonly position: bigint;
  readonly hash: string;
}

/** A snapshot read back: where it was taken, and each part's state by name. */
export interface ReadersSnapshot extends SnapshotAt {
  readonly parts: ReadonlyMap<string, unknown>;
}

interface Header {
  version: string;
  position: string;
  hash: string;
  parts: string[];
}

/**
 * The in-memory readers' state at a log position, in one file (beside the read models): a
 * header line (JSON: version, position, the hash of the event there, the parts) and the parts'
 * state in `v8.serialize`'s format. Written to a temporary file, synced and renamed over the
 * old one, so a crash leaves the old snapshot or the new one, never half of one. A snapshot of
 * another build (the version names the format, V8's and every part's code) is not read.
 */
export class ReadersSnapshotFile {
  constructor(readonly file: string) {}

  /** The version a snapshot of `parts` has in this build. */
  static version(parts: readonly SnapshotPart[]): string {
    const code = createHash('sha256').update(loadedCodeDigest());
    for (const part of parts) code.update(`${part.name}\n${part.code}\n`);
    return `${SNAPSHOT_FORMAT}:${process.versions.v8}:${code.digest('hex')}`;
  }

  /** The snapshot, when there is one of `parts` in this build; `undefined` when none, another build's or unreadable. */
  read(parts: readonly SnapshotPart[]): ReadersSnapshot | undefined {
    let bytes: Buffer;
    try {
      bytes = readFileSync(this.file);
    } catch {
      return undefined;
    }
    const newline = bytes.indexOf(0x0a);
    if (newline < 0) return undefined;
    let header: Header;
    try {
      header = JSON.parse(bytes.subarray(0, newline).toString('utf8')) as Header;
    } catch {
      return undefined;
    }
    const names = parts.map((p) => p.name);
    if (
      header.version !== ReadersSnapshotFile.version(parts) ||
      !Array.isArray(header.parts) ||
      header.parts.join('\n') !== names.join('\n') ||
      !/^\d+$/.test(header.position)
    )
      return undefined;
    let state: unknown;
    try {
      state = deserialize(bytes.subarray(newline + 1));
    } catch {
      return undefined;
    }
    if (typeof state !== 'object' || state === null) return undefined;
    const byName = new Map(Object.entries(state));
    if (!parts.every((p) => byName.has(p.name) && p.fits(byName.get(p.name)))) return undefined;
    return { position: BigInt(header.position), hash: header.hash, parts: byName };
  }

  /** Removes the temporary files of writers killed mid-write (each is named after its process). */
  private clearLeftovers(): void {
    const prefix = `${path.basename(this.file)}.`;
    for (const name of readdirSync(path.dirname(this.file))) {
      const pid = name.startsWith(prefix) && name.endsWith('.tmp') ? name.slice(prefix.length, -'.tmp'.length) : '';
      if (/^\d+$/.test(pid) && Number(pid) !== process.pid && !running(Number(pid))) {
        rmSync(path.join(path.dirname(this.file), name), { force: true });
      }
    }
  }

  /** Replaces the snapshot with `parts`' state at `at`, atomically and durably. */
  write(parts: readonly SnapshotPart[], at: SnapshotAt): void {
    const header: Header = {
      version: ReadersSnapshotFile.version(parts),
      position: at.position.toString(),
      hash: at.hash,
      parts: parts.map((p) => p.name),
    };
    const body = serialize(Object.fromEntries(parts.map((p) => [p.name, p.save()])));
    mkdirSync(path.dirname(this.file), { recursive: true });
    this.clearLeftovers();
    const temporary = `${this.file}.${process.pid}.tmp`;
    const fd = openSync(temporary, 'w', 0o600);
    try {
      writeSync(fd, `${JSON.stringify(header)}\n`);
      writeSync(fd, body);
      fsyncSync(fd);
    } catch (error) {
      closeSync(fd);
      rmSync(temporary, { force: true });
      throw error;
    }
    closeSync(fd);
    renameSync(temporary, this.file);
    const folder = openSync(path.dirname(this.file), 'r');
    try {
      fsyncSync(folder);
    } finally {
      closeSync(folder);
    }
  }
}

/** Whether a process with this id is running (one we may not signal is running too). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A reader's fields as its snapshot state: every own field but `except` (its tail, its logger),
 * so a field added later is carried without being named here.
 */
export function fieldsOf(owner: object, except: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(owner).filter(([key]) => !except.includes(key)));
}

/** Whether `state` has exactly the fields `fieldsOf(owner, except)` gives, each of the same kind. */
export function fitsFieldsOf(owner: object, except: readonly string[], state: unknown): boolean {
  if (typeof state !== 'object' || state === null) return false;
  const mine = fieldsOf(owner, except);
  const theirs = Object.entries(state);
  return (
    theirs.length === Object.keys(mine).length &&
    theirs.every(([key, value]) => key in mine && kindOf(value) === kindOf(mine[key]))
  );
}

/**
 * Maps, sets and arrays apart; any other value (a count, an instant or null) is one kind. By tag,
 * not `instanceof`: what `v8.deserialize` makes may come from another realm (in a test, jest's).
 */
function kindOf(value: unknown): string {
  const tag = Object.prototype.toString.call(value);
  return ['[object Map]', '[object Set]', '[object Array]'].includes(tag) ? tag : 'value';
}
