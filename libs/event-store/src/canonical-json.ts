/**
 * Canonical JSON: object keys sorted by UTF-16 code unit, no whitespace, values as
 * JSON.stringify writes them. The same value always gives the same text, so its
 * SHA-256 can chain events whichever adapter or process wrote them.
 */
export function canonicalJson(value: unknown): string {
  let text: string | undefined;
  try {
    // Plain data (all events are) is copied with its keys in sorted order and written by the
    // native JSON.stringify: twice as fast as writing it here, key by key.
    text = JSON.stringify(sortedCopy(value));
  } catch (error) {
    if (!(error instanceof NotPlain)) throw error;
    text = write(value);
  }
  if (text === undefined) throw new TypeError('canonicalJson: value has no JSON representation');
  return text;
}

/** Thrown by `sortedCopy` on a value JSON.stringify could not be trusted to write in canonical order. */
class NotPlain extends Error {}

/**
 * The value with every object's keys inserted in sorted order, which is the order JSON.stringify
 * writes them in, except for keys that look like array indices (always enumerated first, in
 * numeric order) and `__proto__` (which an assignment does not create): those, and array holes,
 * throw NotPlain and the value is written by `write` instead.
 */
function sortedCopy(value: unknown): unknown {
  switch (typeof value) {
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} is not valid JSON`);
      return value;
    case 'bigint':
      throw new TypeError('canonicalJson: bigint has no JSON form; encode it as a string');
    case 'object':
      break;
    default:
      return value;
  }
  if (value === null) return null;
  const withToJson = value as { toJSON?: () => unknown };
  if (typeof withToJson.toJSON === 'function') return sortedCopy(withToJson.toJSON());
  if (Array.isArray(value)) {
    const copy: unknown[] = new Array(value.length);
    for (let index = 0; index < value.length; index += 1) {
      if (!(index in value)) throw new NotPlain();
      copy[index] = sortedCopy(value[index]);
    }
    return copy;
  }
  const record = value as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(record).sort()) {
    const first = key.charCodeAt(0);
    if ((first >= 48 && first <= 57) || key === '__proto__') throw new NotPlain();
    copy[key] = sortedCopy(record[key]);
  }
  return copy;
}

function write(value: unknown): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} is not valid JSON`);
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      throw new TypeError('canonicalJson: bigint has no JSON form; encode it as a string');
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    case 'object':
      return writeObject(value);
  }
}

function writeObject(value: object): string | undefined {
  const withToJson = value as { toJSON?: () => unknown };
  if (typeof withToJson.toJSON === 'function') return write(withToJson.toJSON());
  if (Array.isArray(value)) {
    // As JSON.stringify: holes and non-JSON values inside arrays become null.
    return `[${Array.from(value, (item: unknown) => write(item) ?? 'null').join(',')}]`;
  }
  const record = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const text = write(record[key]);
    if (text !== undefined) parts.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${parts.join(',')}}`;
}
