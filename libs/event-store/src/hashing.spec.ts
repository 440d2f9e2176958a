import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { canonicalJson } from './canonical-json';
import { eventHash, eventHashFromCanonicalText, globalHash, sha256Hex } from './hashing';

describe('event hashing', () => {
  const base = {
    id: 'e1',
    streamId: 'bed-1.a',
    revision: 0n,
    type: 'BedAdded',
    schemaVersion: 1,
    prevHash: null,
  };

  it('from canonical text equals the hash of the parsed record, for any data', () => {
    fc.assert(
      fc.property(
        fc.jsonValue(),
        fc.dictionary(fc.string(), fc.jsonValue()),
        fc.option(fc.string({ unit: fc.constantFrom(...'0123456789abcdef') }), { nil: null }),
        (data, metadata, prevHash) => {
          const event = { ...base, data, metadata, prevHash };
          expect(
            eventHashFromCanonicalText({
              ...event,
              dataJson: canonicalJson(data),
              metadataJson: canonicalJson(metadata),
            }),
          ).toBe(eventHash(event));
        },
      ),
    );
  });

  it('changes when any covered field changes', () => {
    const event = { ...base, data: { kind: 'residential' }, metadata: { actor: { id: 'u', role: 'r' } } };
    const hash = eventHash(event);
    expect(eventHash({ ...event, data: { kind: 'emergency' } })).not.toBe(hash);
    expect(eventHash({ ...event, revision: 1n })).not.toBe(hash);
    expect(eventHash({ ...event, prevHash: 'ab' })).not.toBe(hash);
    expect(eventHash({ ...event, streamId: 'bed-1.b' })).not.toBe(hash);
  });

  it('is SHA-256 of the documented canonical record', () => {
    const event = { ...base, data: { b: 1, a: 2 }, metadata: {} };
    expect(eventHash(event)).toBe(
      sha256Hex(
        '{"data":{"a":2,"b":1},"id":"e1","metadata":{},"prevHash":null,"revision":"0",' +
          '"schemaVersion":1,"streamId":"bed-1.a","type":"BedAdded"}',
      ),
    );
  });

  it('sha256Hex is the SHA-256 of the UTF-8 text', () => {
    const text = 'Zoë 🏠 placement';
    expect(sha256Hex(text)).toBe(createHash('sha256').update(Buffer.from(text, 'utf8')).digest('hex'));
  });

  it('global links bind position and previous link', () => {
    const link = globalHash(0n, 'aa', null);
    expect(globalHash(1n, 'aa', null)).not.toBe(link);
    expect(globalHash(0n, 'aa', link)).not.toBe(link);
    expect(link).toMatch(/^[0-9a-f]{64}$/);
  });
});
