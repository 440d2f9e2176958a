/**
 * Canonical JSON: object keys sorted by UTF-16 code unit, no whitespace, values as
 * JSON.stringify writes them. The same value always gives the same text, so its
 * SHA-256 can chain events whichever adapter or process wrote them.
 */
export function canonicalJson(value: unknown): string {
  const text = write(value);
  if (text === undefined) throw new TypeError('canonicalJson: value has no JSON representation');
  return text;
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
    return `[${value.map((item: unknown) => write(item) ?? 'null').join(',')}]`;
  }
  const record = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const text = write(record[key]);
    if (text !== undefined) parts.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${parts.join(',')}}`;
}
