import { createHash } from 'node:crypto';

/** Namespace for every id the SSDA903 import derives (a fixed random UUID). */
export const SSDA903_NAMESPACE = '6f1d3c2e-8a47-4b8e-9c1a-2f5e7d903a11';

function uuidBytes(uuid: string): Buffer {
  const hex = uuid.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new RangeError(`not a UUID: ${uuid}`);
  return Buffer.from(hex, 'hex');
}

/** RFC 9562 UUID version 5 (SHA-1 of namespace + name): the same name always gives the same id. */
const namespaceBytes = new Map<string, Buffer>();

export function uuidV5(name: string, namespace: string = SSDA903_NAMESPACE): string {
  let ns = namespaceBytes.get(namespace);
  if (ns === undefined) {
    ns = uuidBytes(namespace);
    namespaceBytes.set(namespace, ns);
  }
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** An id for an imported fact, from the parts that identify it (child, dates, kind); stable across re-imports. */
export function importId(...parts: readonly string[]): string {
  // The unit separator cannot occur in a validated cell, so distinct part lists never collide.
  return uuidV5(parts.join('\u001f'));
}
