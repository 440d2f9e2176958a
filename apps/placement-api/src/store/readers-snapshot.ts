import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';

/** Bump when the file's layout changes: every snapshot written before is then ignored. */
const SNAPSHOT_FORMAT = 2;
/**
 * Entries of a reader's map or set serialized at a time. Between two slices the event loop runs:
 * on England's estate the whole state is about 60 MB and a second of serializing, a slice of the
 * largest entries (a household's capacity) about 5 ms.
 */
const ENTRIES_PER_SLICE = 500;

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
  /** The fields whose entries follow the rest of the state, in this order: part, field, kind, slices. */
  sliced: SlicedField[];
}

type SlicedField = [part: string, field: string, kind: 'Map' | 'Set', slices: number];

/**
 * The in-memory readers' state at a log position, in one file (beside the read models): a
 * header line (JSON: version, position, the hash of the event there, the parts, the fields
 * sliced) and the parts' state in `v8.serialize`'s format, each piece after its length (4 bytes):
 * first every part's state but its maps and sets, then their entries slice by slice. Written to a
 * temporary file, synced and renamed over the old one, so a crash leaves the old snapshot or the
 * new one, never half of one. A snapshot of another build (the version names the format, V8's and
 * every part's code) is not read.
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
      !Array.isArray(header.sliced) ||
      !/^\d+$/.test(header.position)
    )
      return undefined;
    let state: unknown;
    try {
      state = stateOf(bytes.subarray(newline + 1), header.sliced);
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

  /**
   * Replaces the snapshot with `parts`' state at `at`, atomically and durably. The state is taken
   * a slice at a time with the event loop running between slices, so nothing may change it until
   * `taken` is called; the file is then written, synced and renamed, the event loop running too.
   */
  async write(parts: readonly SnapshotPart[], at: SnapshotAt, taken: () => void = () => undefined): Promise<void> {
    const { pieces, sliced } = await piecesOf(parts);
    taken();
    const header: Header = {
      version: ReadersSnapshotFile.version(parts),
      position: at.position.toString(),
      hash: at.hash,
      parts: parts.map((p) => p.name),
      sliced,
    };
    await mkdir(path.dirname(this.file), { recursive: true });
    this.clearLeftovers();
    const temporary = `${this.file}.${process.pid}.tmp`;
    const handle = await open(temporary, 'w', 0o600);
    try {
      // Each writeFile goes on from where the last one ended, and writes all of its bytes.
      await handle.writeFile(`${JSON.stringify(header)}\n`);
      for (const piece of pieces) {
        const length = Buffer.alloc(4);
        length.writeUInt32BE(piece.length);
        await handle.writeFile(length);
        await handle.writeFile(piece);
      }
      await handle.sync();
    } catch (error) {
      await handle.close();
      await rm(temporary, { force: true });
      throw error;
    }
    await handle.close();
    await rename(temporary, this.file);
    const folder = await open(path.dirname(this.file), 'r');
    try {
      await folder.sync();
    } finally {
      await folder.close();
    }
  }
}

/**
 * The parts' state serialized in pieces: first every part's state with its maps and sets left
 * empty (undefined, keeping the fields' order), then each map's or set's entries, ENTRIES_PER_SLICE
 * at a time, the event loop running between two slices.
 */
async function piecesOf(parts: readonly SnapshotPart[]): Promise<{ pieces: Buffer[]; sliced: SlicedField[] }> {
  const rest: Record<string, unknown> = {};
  const slices: Buffer[] = [];
  const sliced: SlicedField[] = [];
  for (const part of parts) {
    const state = part.save();
    if (typeof state !== 'object' || state === null || Array.isArray(state)) {
      rest[part.name] = state;
      continue;
    }
    const kept: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(state)) {
      const kind = collectionKind(value);
      if (kind === undefined) {
        kept[field] = value;
        continue;
      }
      kept[field] = undefined;
      const entries = (value as Map<unknown, unknown> | Set<unknown>)[kind === 'Map' ? 'entries' : 'values']();
      let count = 0;
      for (let slice = takeSlice(entries); count === 0 || slice.length > 0; slice = takeSlice(entries)) {
        slices.push(serialize(slice));
        count += 1;
        await new Promise((resolve) => setImmediate(resolve));
      }
      sliced.push([part.name, field, kind, count]);
    }
    rest[part.name] = kept;
  }
  return { pieces: [serialize(rest), ...slices], sliced };
}

/** The next ENTRIES_PER_SLICE entries (fewer at the end, none past it). */
function takeSlice(entries: Iterator<unknown>): unknown[] {
  const slice: unknown[] = [];
  for (let next = entries.next(); !next.done; next = entries.next()) {
    slice.push(next.value);
    if (slice.length === ENTRIES_PER_SLICE) break;
  }
  return slice;
}

/** The state back from its pieces (throws on a torn or unreadable file). */
function stateOf(body: Buffer, sliced: readonly SlicedField[]): unknown {
  let offset = 0;
  const next = (): unknown => {
    const length = body.readUInt32BE(offset);
    if (offset + 4 + length > body.length) throw new Error('the snapshot ends inside a piece');
    const value: unknown = deserialize(body.subarray(offset + 4, offset + 4 + length));
    offset += 4 + length;
    return value;
  };
  const state = next() as Record<string, Record<string, unknown>>;
  for (const [part, field, kind, slices] of sliced) {
    const entries: unknown[] = [];
    for (let slice = 0; slice < slices; slice += 1) for (const entry of next() as unknown[]) entries.push(entry);
    state[part][field] = kind === 'Map' ? new Map(entries as [unknown, unknown][]) : new Set(entries);
  }
  if (offset !== body.length) throw new Error('the snapshot goes on after its last piece');
  return state;
}

/** A map or a set (by tag, as `kindOf` below), whose entries are sliced; undefined for any other value. */
function collectionKind(value: unknown): 'Map' | 'Set' | undefined {
  const tag = Object.prototype.toString.call(value);
  return tag === '[object Map]' ? 'Map' : tag === '[object Set]' ? 'Set' : undefined;
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
