import fc from 'fast-check';
import { canonicalJson } from './canonical-json';

describe('canonicalJson', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}',
    );
  });

  it('gives the same text whatever the key insertion order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (record) => {
        const reversed = Object.fromEntries(Object.entries(record).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(record));
      }),
    );
  });

  it('round-trips through JSON.parse to an equal value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it('drops undefined members as JSON.stringify does, and writes them as null in arrays', () => {
    expect(canonicalJson({ a: undefined, b: [undefined, 1] })).toBe('{"b":[null,1]}');
  });

  it('writes holes in arrays as null, as JSON.stringify does', () => {
    // eslint-disable-next-line no-sparse-arrays
    expect(canonicalJson({ a: [1, , 3] })).toBe('{"a":[1,null,3]}');
  });

  it('sorts keys that look like array indices as text, and keeps a __proto__ key', () => {
    expect(canonicalJson({ b: 1, 10: 2, 9: 3, '01': 4 })).toBe('{"01":4,"10":2,"9":3,"b":1}');
    expect(canonicalJson(JSON.parse('{"z":1,"__proto__":{"b":2,"a":1}}'))).toBe('{"__proto__":{"a":1,"b":2},"z":1}');
  });

  it('writes what a class instance or a nested toJSON gives, sorted', () => {
    class Hold {
      readonly until = new Date('2026-01-02T03:04:05.000Z');
      readonly bed = { toJSON: () => ({ z: 1, a: [2] }) };
    }
    expect(canonicalJson([new Hold(), () => 1, Symbol('s')])).toBe(
      '[{"bed":{"a":[2],"z":1},"until":"2026-01-02T03:04:05.000Z"},null,null]',
    );
  });

  it('keeps unicode as is and escapes lone surrogates', () => {
    expect(canonicalJson({ name: 'Zoë 🏠' })).toBe('{"name":"Zoë 🏠"}');
    expect(canonicalJson('\ud800')).toBe('"\\ud800"');
  });

  it('uses toJSON (dates become ISO strings)', () => {
    expect(canonicalJson({ at: new Date('2026-01-02T03:04:05.000Z') })).toBe('{"at":"2026-01-02T03:04:05.000Z"}');
  });

  it('refuses values JSON cannot hold', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson({ n: 1n })).toThrow(TypeError);
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
  });
});
