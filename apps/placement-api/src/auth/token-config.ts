import { ID_PATTERN } from '../http/dto-rules';
import type { Role } from './roles';
import { ROLES } from './roles';

/** One entry of API_TOKENS, checked. */
export interface ConfiguredToken {
  readonly sha256: string;
  readonly actorId: string;
  readonly role: Role;
  readonly settingIds: readonly string[];
  /** Milliseconds since the epoch; absent for a token that does not expire. */
  readonly expiresAt?: number;
}

/**
 * Every problem of a token setting, each naming the variable and the entry's position (1-based)
 * but never its value: a misplaced plain token must not reach a log or a terminal.
 */
export class TokenConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'TokenConfigError';
  }
}

const DIGEST = /^[0-9a-f]{64}$/i;
const FIELDS = ['sha256', 'actorId', 'role', 'settingIds', 'expiresAt'];
/** A staff id as the authority's identity system gives it (an employee number, an account name). */
const ACTOR_ID = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** API_TOKENS: a JSON array of { sha256, actorId, role, settingIds?, expiresAt? }. Throws TokenConfigError. */
export function parseApiTokens(json: string | undefined): ConfiguredToken[] {
  if (json === undefined || json.trim() === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    // JSON.parse's own message quotes the text around the mistake: not repeated here.
    throw new TokenConfigError(['API_TOKENS is not valid JSON: a JSON array of token entries is expected']);
  }
  if (!Array.isArray(parsed)) throw new TokenConfigError(['API_TOKENS must be a JSON array of token entries']);
  const problems: string[] = [];
  const tokens: ConfiguredToken[] = [];
  const firstEntryOf = new Map<string, number>();
  parsed.forEach((raw: unknown, index) => {
    const at = `API_TOKENS entry ${index + 1} of ${parsed.length}`;
    const entryProblems = checkEntry(raw);
    if (entryProblems.length > 0) {
      problems.push(...entryProblems.map((p) => `${at}: ${p}`));
      return;
    }
    const entry = raw as Record<string, unknown>;
    const digest = (entry['sha256'] as string).toLowerCase();
    const earlier = firstEntryOf.get(digest);
    if (earlier !== undefined) {
      problems.push(`${at}: has the same sha256 as entry ${earlier} (one token, one actor)`);
      return;
    }
    firstEntryOf.set(digest, index + 1);
    tokens.push({
      sha256: digest,
      actorId: entry['actorId'] as string,
      role: entry['role'] as Role,
      settingIds: (entry['settingIds'] as string[] | undefined) ?? [],
      ...(entry['expiresAt'] === undefined ? {} : { expiresAt: Date.parse(entry['expiresAt'] as string) }),
    });
  });
  if (problems.length > 0) throw new TokenConfigError(problems);
  return tokens;
}

function checkEntry(raw: unknown): string[] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return ['must be an object'];
  const entry = raw as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(entry))
    if (!FIELDS.includes(key)) problems.push(`unknown field "${key}" (allowed: ${FIELDS.join(', ')})`);
  if (typeof entry['sha256'] !== 'string' || !DIGEST.test(entry['sha256']))
    problems.push('sha256 must be the SHA-256 digest of the token (64 hex digits), never the token itself');
  if (typeof entry['actorId'] !== 'string' || !ACTOR_ID.test(entry['actorId']))
    problems.push('actorId must be 1–128 letters, digits, ., _, @ or -');
  const role = entry['role'];
  if (typeof role !== 'string' || !ROLES.includes(role as Role))
    problems.push(`role must be one of ${ROLES.join(', ')}`);
  const settingIds = entry['settingIds'];
  if (settingIds !== undefined) {
    if (!Array.isArray(settingIds) || !settingIds.every((s) => typeof s === 'string' && ID_PATTERN.test(s)))
      problems.push('settingIds must be an array of setting ids');
    else if (role !== 'residential-manager') problems.push('settingIds are only for a residential-manager');
  }
  if (role === 'residential-manager' && (!Array.isArray(settingIds) || settingIds.length === 0))
    problems.push('a residential-manager needs settingIds: the homes they keep');
  const expiresAt = entry['expiresAt'];
  if (
    expiresAt !== undefined &&
    (typeof expiresAt !== 'string' || !ISO_INSTANT.test(expiresAt) || Number.isNaN(Date.parse(expiresAt)))
  )
    problems.push('expiresAt must be an ISO-8601 date-time with a zone, such as 2027-03-31T23:59:59Z');
  return problems;
}

/** REVOKED_TOKEN_SHA256: comma-separated SHA-256 digests (spaces around them and a trailing comma are allowed). */
export function parseRevokedDigests(list: string | undefined): string[] {
  if (list === undefined) return [];
  const entries = list.split(',').map((s) => s.trim());
  if (entries.length > 0 && entries[entries.length - 1] === '') entries.pop();
  const problems: string[] = [];
  entries.forEach((entry, index) => {
    if (!DIGEST.test(entry))
      problems.push(
        `REVOKED_TOKEN_SHA256 entry ${index + 1} of ${entries.length} is not a SHA-256 digest (64 hex digits)`,
      );
  });
  if (problems.length > 0) throw new TokenConfigError(problems);
  return entries.map((e) => e.toLowerCase());
}
