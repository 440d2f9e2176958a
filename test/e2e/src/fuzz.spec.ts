import http from 'node:http';
import fc from 'fast-check';
import {
  CIN_CODES,
  isBusinessDate,
  isInstant,
  LEGAL_STATUS_CODES,
  PLACE_CODES,
  PLACE_PROVIDER_CODES,
  REASON_PLACE_CHANGE_CODES,
  REC_CODES,
} from '@placement/domain';
import { EventStore, openSqliteEventStore } from '@placement/event-store';
import { COMMAND_SAMPLES, commandFixture, FIXTURE } from './support/command-bodies';
import { HUNG_MS } from './support/eventually';
import { RawClient, RawResponse } from './support/raw-client';
import { fillPath, registeredRoutes, routeKey } from './support/routes';
import { TestServer, TOKENS, withServer } from './support/server';

/**
 * Bad input against every command route (issue 9, item 3): whatever arrives, the answer is
 * a 4xx problem+json and the event log does not move. FUZZ_RUNS cases per route (CI: 1000).
 */
const FUZZ_RUNS = Number(process.env['FUZZ_RUNS'] ?? 1000);
const FUZZ_SEED = process.env['FUZZ_SEED'] === undefined ? undefined : Number(process.env['FUZZ_SEED']);
const MAX_BODY_BYTES = 256 * 1024;
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const FORBIDDEN_KEYS = ['__proto__', 'constructor', 'prototype'] as const;
/** Stands for raw JSON text spliced in after stringifying (nesting too deep for JSON.stringify here). */
const RAW_MARK = '\u0000raw\u0000';

/** SSDA903-coded fields and the codes they accept (a superset where DTOs narrow it further). */
const CODE_FIELDS: Record<string, readonly string[]> = {
  place: PLACE_CODES,
  placeProvider: PLACE_PROVIDER_CODES,
  legalStatus: LEGAL_STATUS_CODES,
  categoryOfNeed: CIN_CODES,
  reasonForChange: REASON_PLACE_CHANGE_CODES,
  reasonEpisodeCeased: REC_CODES,
  'provider.code': PLACE_PROVIDER_CODES,
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = (string | number)[];

interface FuzzCase {
  kind: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** Carries a forbidden key whose value would put `admin` on every object if it were merged unsafely. */
  canary?: boolean;
}

/**
 * A forbidden key's canary value: what an unsafe merge would copy onto Object.prototype
 * (`__proto__`, `prototype`) or through `constructor.prototype`.
 */
function canary(key: (typeof FORBIDDEN_KEYS)[number]): Json {
  return key === 'constructor' ? { prototype: { [CANARY_KEY]: true } } : { [CANARY_KEY]: true };
}
const CANARY_KEY = 'fuzzCanaryAdmin';

/** Every own key of the built-in prototypes: a request that pollutes one changes this list. */
function prototypeKeys(): string[] {
  const builtIns: [string, object][] = [
    ['Object', Object.prototype],
    ['Array', Array.prototype],
    ['Function', Function.prototype],
    ['String', String.prototype],
    ['Number', Number.prototype],
    ['Boolean', Boolean.prototype],
  ];
  return builtIns.flatMap(([name, proto]) => Reflect.ownKeys(proto).map((key) => `${name}.${String(key)}`)).sort();
}

function jsonType(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

/** Every path in a body, objects and arrays included, except the root. */
function paths(value: Json, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [];
  const entries: [string | number, Json][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return entries.flatMap(([key, child]) => [[...prefix, key], ...paths(child, [...prefix, key])]);
}

function objectPaths(value: Json, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [];
  const self = Array.isArray(value) ? [] : [prefix];
  const entries: [string | number, Json][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return [...self, ...entries.flatMap(([key, child]) => objectPaths(child, [...prefix, key]))];
}

function get(value: Json, path: Path): Json {
  return path.reduce<Json>((node, key) => (node as Record<string | number, Json>)[key], value);
}

/** A copy of `body` with the node at `path` replaced (structuredClone keeps it a plain JSON tree). */
function replaced(body: Json, path: Path, next: Json): Json {
  if (path.length === 0) return next;
  const copy = structuredClone(body);
  const parent = get(copy, path.slice(0, -1)) as Record<string | number, Json>;
  parent[path[path.length - 1]] = next;
  return copy;
}

/** Adds an own enumerable key, even `__proto__`, the way JSON.parse would create it. */
function withKey(body: Json, at: Path, key: string, value: Json): Json {
  const copy = structuredClone(body);
  const target = at.length === 0 ? copy : get(copy, at);
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

function stringify(body: Json, raw?: string): string {
  const text = JSON.stringify(body);
  return raw === undefined ? text : text.replace(JSON.stringify(RAW_MARK), raw);
}

function deepJson(depth: number, style: 'array' | 'object' | 'mixed'): string {
  const open = style === 'array' ? '[' : style === 'object' ? '{"a":' : '[{"a":';
  const close = style === 'array' ? ']' : style === 'object' ? '}' : '}]';
  const reps = style === 'mixed' ? Math.ceil(depth / 2) : depth;
  return `${open.repeat(reps)}1${close.repeat(reps)}`;
}

const anyJson: fc.Arbitrary<Json> = fc.jsonValue({ maxDepth: 4 }) as fc.Arbitrary<Json>;

function ofAnotherType(original: Json): fc.Arbitrary<Json> {
  return (
    fc
      .oneof(
        fc.string({ maxLength: 20 }),
        fc.integer(),
        fc.double({ noNaN: true }).filter(Number.isFinite),
        fc.boolean(),
        fc.array(anyJson, { maxLength: 3 }),
        fc.dictionary(fc.string({ maxLength: 8 }), anyJson, { maxKeys: 3 }),
        fc.constantFrom<Json>([], {}, '', 0, -1, 1e308, true, false, '1', 'true', [null]),
      )
      // A null sample field is nullable: its real type (string or number) would be valid there.
      .filter(
        (v) =>
          jsonType(v) !== jsonType(original) &&
          !(original === null && (typeof v === 'string' || typeof v === 'number')),
      )
  );
}

const hugeString: fc.Arbitrary<string> = fc
  .tuple(
    fc.integer({ min: 5_000, max: MAX_BODY_BYTES - 20_000 }),
    fc.string({ minLength: 1, maxLength: 4, unit: 'binary' }),
  )
  .map(([length, unit]) => unit.repeat(Math.ceil(length / Math.max(1, Buffer.byteLength(unit)))).slice(0, length));

const invalidBusinessDate: fc.Arbitrary<string> = fc
  .oneof(
    fc.constantFrom(
      '2026-02-30',
      '2026-13-01',
      '2026-00-10',
      '2026-11-31',
      '0000-01-01',
      '2025-02-29',
      '26-11-27',
      '2026/11/27',
      '27/11/2026',
      '2026-11-27T00:00:00Z',
      ' 2026-11-27',
      '2026-11-27 ',
      '',
      'today',
      '+002026-11-27',
    ),
    fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
    fc.string({ maxLength: 12 }),
  )
  .filter((v) => !isBusinessDate(v));

const invalidInstant: fc.Arbitrary<string> = fc
  .oneof(
    fc.constantFrom(
      '2026-02-30T10:00:00Z',
      '2026-11-27T25:00:00Z',
      '2026-11-27',
      'tomorrow',
      '',
      '2026-11-27Tnoon',
      '1e12',
      '2026-12-01T18:00',
      '2026-12-01T18:00:00.000',
    ),
    fc.string({ maxLength: 24 }),
    fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 19)),
  )
  .filter((v) => !isInstant(v) || !/(?:Z|[+-]\d{2}:\d{2})$/.test(v));

function invalidCode(allowed: readonly string[]): fc.Arbitrary<string> {
  return fc
    .oneof(
      fc.constantFrom(
        'K9',
        'PR0 ',
        'pr1',
        'U7',
        'X',
        'E99',
        'C9',
        'N0',
        'CARPLX',
        ' K2',
        'k2',
        '',
        'Z1',
        'PR6',
        'V5',
        'R9',
      ),
      fc.string({ maxLength: 6 }),
    )
    .filter((v) => !allowed.includes(v));
}

function codeFieldOf(path: Path): readonly string[] | undefined {
  const last = String(path[path.length - 1]);
  const lastTwo = path.slice(-2).join('.');
  return CODE_FIELDS[lastTwo] ?? (last === 'code' ? undefined : CODE_FIELDS[last]);
}

const JSON_HEADERS = { 'content-type': 'application/json', authorization: `Bearer ${TOKENS.admin}` };

/** A value that records "not known" (null) or "none" (an empty list): valid where a field allows it. */
function isEmptyValue(value: unknown): boolean {
  return value === null || (Array.isArray(value) && value.length === 0);
}

/** Every kind of bad request for one route, built from its valid sample. */
function casesFor(routePath: string, params: Record<string, string>, sample: Json): fc.Arbitrary<FuzzCase> {
  const path = fillPath(routePath, params);
  const all = paths(sample);
  const objects = objectPaths(sample);
  const strings = all.filter((p) => typeof get(sample, p) === 'string');
  const dates = strings.filter((p) => isBusinessDate(get(sample, p)));
  const instants = strings.filter((p) => isInstant(get(sample, p)));
  const codes = strings.filter((p) => codeFieldOf(p) !== undefined);
  const json = (kind: string, body: string, headers: Record<string, string> = JSON_HEADERS): FuzzCase => ({
    kind,
    path,
    headers,
    body,
  });

  const arbitraryBody = anyJson.map((body) => json('arbitrary JSON', JSON.stringify(body)));
  // A route whose body has no fields (`{}`) has no known keys to mix in: any key is unknown there.
  const known = Object.keys(sample as object);
  const keys = known.length > 0 ? [fc.constantFrom(...known)] : [];
  const nearlyShaped = fc
    .dictionary(fc.oneof(...keys, fc.string({ maxLength: 10 })), anyJson, {
      minKeys: 1,
      maxKeys: 8,
    })
    // Every field of some commands is optional and nullable (null records "not known"), and an empty
    // list records "none" (a household's members): a body of known keys whose values are all null or
    // empty lists can be valid there, so it is not a case of bad input.
    .filter((body) => Object.entries(body).some(([key, value]) => !isEmptyValue(value) || !(key in (sample as object))))
    .map((body) => json('arbitrary object with known keys', JSON.stringify(body)));
  // A body with no fields (`{}`) has no field to give another type or a huge value.
  const wrongType =
    all.length === 0
      ? null
      : fc
          .constantFrom(...all)
          .chain((p) =>
            ofAnotherType(get(sample, p)).map((v) =>
              json(`wrong type at ${p.join('.')}`, stringify(replaced(sample, p, v))),
            ),
          );
  const huge =
    all.length === 0
      ? null
      : fc
          .tuple(fc.constantFrom(...all), hugeString)
          .map(([p, s]) => json(`huge string (${s.length}) at ${p.join('.')}`, stringify(replaced(sample, p, s))));
  const deep = fc
    .tuple(
      fc.constantFrom<Path>([], ...all),
      fc.oneof(fc.integer({ min: 2, max: 40 }), fc.integer({ min: 40, max: 60_000 })),
      fc.constantFrom('array' as const, 'object' as const, 'mixed' as const),
    )
    .map(([p, depth, style]) =>
      json(
        `${style} nesting ${depth} deep at ${p.join('.') || 'the root'}`,
        stringify(replaced(sample, p, RAW_MARK), deepJson(depth, style)),
      ),
    );
  const pollution = fc
    .tuple(
      fc.constantFrom(...objects),
      fc.constantFrom(...FORBIDDEN_KEYS),
      fc.option(anyJson, { nil: undefined, freq: 2 }),
      fc.boolean(),
    )
    .map(([at, key, value, nested]) => pollutionCase(path, sample, at, key, value, nested));
  const unknownKey = fc
    .tuple(fc.constantFrom(...objects), fc.string({ minLength: 1, maxLength: 12 }), anyJson)
    .filter(
      ([at, key]) =>
        !Object.prototype.hasOwnProperty.call(get(sample, at), key) &&
        !(FORBIDDEN_KEYS as readonly string[]).includes(key),
    )
    .map(([at, key, value]) =>
      json(
        `unknown key ${JSON.stringify(key)} at ${at.join('.') || 'the root'}`,
        stringify(withKey(sample, at, key, value)),
      ),
    );
  // A value `invalid` draws, put at one of `paths`; null when the body has no such field.
  const invalidAt = (paths: Path[], invalid: fc.Arbitrary<string>, kind: string) =>
    paths.length > 0
      ? fc
          .tuple(fc.constantFrom(...paths), invalid)
          .map(([p, v]) => json(`${kind} ${JSON.stringify(v)} at ${p.join('.')}`, stringify(replaced(sample, p, v))))
      : null;
  const badDate = invalidAt(dates, invalidBusinessDate, 'invalid date');
  const badInstant = invalidAt(instants, invalidInstant, 'invalid instant');
  const badCode =
    codes.length > 0
      ? fc
          .constantFrom(...codes)
          .chain((p) =>
            invalidCode(codeFieldOf(p) ?? []).map((v) =>
              json(`invalid SSDA903 code ${JSON.stringify(v)} at ${p.join('.')}`, stringify(replaced(sample, p, v))),
            ),
          )
      : null;
  const wrongContentType = fc
    .constantFrom<string | null>(
      null,
      'text/plain',
      'text/json',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/xml',
      'application/octet-stream',
      'application/json; charset=utf-16',
      'application/json; charset=iso-8859-1',
      'application/json; charset=nonsense',
    )
    .map((type) => {
      const headers: Record<string, string> = { authorization: JSON_HEADERS.authorization };
      if (type !== null) headers['content-type'] = type;
      return { kind: `content type ${type ?? '(none)'}`, path, headers, body: JSON.stringify(sample) };
    });
  const encoded = fc.constantFrom('gzip', 'deflate', 'br', 'compress', 'identity, gzip').map((encoding) => ({
    kind: `content-encoding ${encoding} on a plain body`,
    path,
    headers: { ...JSON_HEADERS, 'content-encoding': encoding },
    body: JSON.stringify(sample),
  }));
  const empty = fc
    .constantFrom<string | undefined>(
      undefined,
      '',
      ' ',
      'null',
      '[]',
      '{}',
      '""',
      '0',
      'true',
      '[{}]',
      `[${JSON.stringify(sample)}]`,
      '{"a":1,}',
      '\u0000',
      '\ufeff{}',
    )
    .map((body) =>
      json(
        `body ${body === undefined ? '(none)' : JSON.stringify(body)}`,
        body ?? '',
        body === undefined ? { authorization: JSON_HEADERS.authorization } : JSON_HEADERS,
      ),
    );
  const paramNames = Object.keys(params);
  const badParam =
    paramNames.length > 0
      ? fc
          .tuple(
            fc.constantFrom(...paramNames),
            fc.string({ maxLength: 80, unit: 'grapheme' }).filter((s) => !ID_PATTERN.test(s)),
          )
          .map(([name, value]) => ({
            kind: `path :${name} = ${JSON.stringify(value)}`,
            path: fillPath(routePath, { ...params, [name]: value }),
            headers: JSON_HEADERS,
            body: JSON.stringify(sample),
          }))
      : null;

  const weighted: fc.WeightedArbitrary<FuzzCase>[] = [
    { arbitrary: arbitraryBody, weight: 3 },
    { arbitrary: nearlyShaped, weight: 2 },
    { arbitrary: deep, weight: 1 },
    { arbitrary: pollution, weight: 2 },
    { arbitrary: unknownKey, weight: 1 },
    { arbitrary: wrongContentType, weight: 1 },
    { arbitrary: encoded, weight: 1 },
    { arbitrary: empty, weight: 1 },
  ];
  if (wrongType) weighted.push({ arbitrary: wrongType, weight: 6 });
  if (huge) weighted.push({ arbitrary: huge, weight: 1 });
  for (const arbitrary of [badDate, badInstant, badCode]) if (arbitrary) weighted.push({ arbitrary, weight: 2 });
  if (badParam) weighted.push({ arbitrary: badParam, weight: 1 });
  return fc.oneof(...weighted);
}

/**
 * A forbidden key in an object of the body, or hidden inside a new nested value; with no
 * value given, the key's canary.
 */
function pollutionCase(
  path: string,
  sample: Json,
  at: Path,
  key: (typeof FORBIDDEN_KEYS)[number],
  value: Json | undefined,
  nested: boolean,
): FuzzCase {
  const payload = value === undefined ? canary(key) : value;
  const body =
    nested && at.length > 0
      ? replaced(sample, at, withKey({ inner: { a: 1 } }, ['inner'], key, payload))
      : withKey(sample, at, key, payload);
  return {
    kind: `${key}${value === undefined ? ' (canary)' : ''} at ${at.join('.') || 'the root'}`,
    path,
    headers: JSON_HEADERS,
    body: stringify(body),
    canary: value === undefined,
  };
}

/** The canaries every route gets whatever the random draw: each forbidden key at the root and in each nested object. */
function canaryCases(routePath: string, params: Record<string, string>, sample: Json): FuzzCase[] {
  const path = fillPath(routePath, params);
  return objectPaths(sample).flatMap((at) =>
    FORBIDDEN_KEYS.flatMap((key) =>
      [false, ...(at.length > 0 ? [true] : [])].map((nested) =>
        pollutionCase(path, sample, at, key, undefined, nested),
      ),
    ),
  );
}

interface Problem {
  type?: unknown;
  title?: unknown;
  status?: unknown;
}

function describeFailure(c: FuzzCase, res: RawResponse, why: string): string {
  return (
    `${why}\n  case: ${c.kind} → POST ${c.path.slice(0, 200)}\n` +
    `  answer: ${res.status} ${res.contentType} ${res.text.slice(0, 300)}`
  );
}

/** The invariant for every bad request: a 4xx problem+json whose body repeats the status. */
function problemFailure(c: FuzzCase, res: RawResponse): string | null {
  if (res.status >= 500) return describeFailure(c, res, 'a 5xx');
  if (res.status < 400) return describeFailure(c, res, 'bad input was accepted');
  if (!res.contentType.startsWith('application/problem+json')) return describeFailure(c, res, 'not problem+json');
  let problem: Problem;
  try {
    problem = JSON.parse(res.text) as Problem;
  } catch {
    return describeFailure(c, res, 'the problem body is not JSON');
  }
  if (problem.status !== res.status || typeof problem.type !== 'string' || typeof problem.title !== 'string')
    return describeFailure(c, res, 'the problem lacks status/type/title');
  return null;
}

/**
 * One server for the enclosing `describe` with the command fixture written, and a keep-alive raw
 * client to it (closed before the server).
 */
function withFixtureServer(env: Record<string, string> = {}): {
  readonly server: TestServer;
  readonly client: RawClient;
} {
  let client: RawClient | undefined;
  afterAll(() => client?.close());
  const server = withServer(env);
  beforeAll(async () => {
    await commandFixture(server);
    client = new RawClient(server.baseUrl);
  }, 60_000);
  return {
    server,
    get client() {
      if (client === undefined) throw new Error('the client starts in beforeAll: use it from a hook or a test');
      return client;
    },
  };
}

describe('fuzzing every command route: bad input is a 4xx problem+json and writes nothing', () => {
  const fixture = withFixtureServer({ MAX_BODY_BYTES: String(MAX_BODY_BYTES) });
  let store: EventStore;
  let head: bigint;
  const counts = new Map<string, number>();

  beforeAll(async () => {
    store = await openSqliteEventStore({ path: fixture.server.sqlitePath, readonly: true });
    head = await store.headPosition();
  }, 60_000);

  afterAll(async () => {
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    const lines = [...counts.entries()].map(([route, n]) => `  ${route}: ${n}`);
    process.stdout.write(
      `fuzz: ${total} cases over ${counts.size} command routes (FUZZ_RUNS=${FUZZ_RUNS})\n${lines.join('\n')}\n`,
    );
    await store?.close();
  });

  const registered = (): string[] =>
    // The API's commands (the board's forms under `/` call these same handlers; the board's tests cover them).
    registeredRoutes(fixture.server.app)
      .filter((r) => r.method !== 'GET' && r.method !== 'HEAD' && r.path.startsWith('/v1/'))
      .map(routeKey);

  it('has a sample body for every command route the app registers', () => {
    expect(registered().filter((key) => !(key in COMMAND_SAMPLES))).toEqual([]);
  });

  it('has a registered route for every sample: fuzzing a 404 would prove nothing', () => {
    expect(Object.keys(COMMAND_SAMPLES).filter((key) => !registered().includes(key))).toEqual([]);
  });

  it.each(Object.keys(COMMAND_SAMPLES))(
    '%s',
    async (key) => {
      const { params, body } = COMMAND_SAMPLES[key];
      const routePath = key.slice(key.indexOf(' ') + 1);
      expect(registered()).toContain(key);
      let n = 0;
      let canaries = 0;
      const prototypesBefore = prototypeKeys();
      head = await store.headPosition();
      const check = async (c: FuzzCase): Promise<void> => {
        n += 1;
        if (c.canary) canaries += 1;
        const res = await fixture.client.request({ method: 'POST', path: c.path, headers: c.headers, body: c.body });
        const failure = problemFailure(c, res);
        if (failure) throw new Error(failure);
        const now = await store.headPosition();
        if (now !== head) throw new Error(`an event was written (head ${head} → ${now}) by: ${c.kind}`);
      };
      // The canaries every time, on top of the random cases (fast-check's examples would take their place).
      for (const c of canaryCases(routePath, params, body() as Json)) await check(c);
      await fc.assert(fc.asyncProperty(casesFor(routePath, params, body() as Json), check), {
        numRuns: FUZZ_RUNS,
        seed: FUZZ_SEED,
        endOnFailure: true,
      });
      counts.set(key, n);
      // The server runs in this process: a forbidden key merged unsafely would show on the prototypes here.
      expect(canaries).toBeGreaterThan(0);
      expect(({} as Record<string, unknown>)[CANARY_KEY]).toBeUndefined();
      expect(prototypeKeys()).toEqual(prototypesBefore);
    },
    600_000,
  );

  describe('oversized bodies are refused with 413 before parsing', () => {
    it.each(Object.keys(COMMAND_SAMPLES))('%s: a body one byte over the limit, that is not even JSON', async (key) => {
      const { params } = COMMAND_SAMPLES[key];
      const res = await fixture.client.request({
        method: 'POST',
        path: fillPath(key.slice(5), params),
        headers: JSON_HEADERS,
        body: '{'.repeat(MAX_BODY_BYTES + 1),
      });
      expect(problemFailure({ kind: 'oversized', path: key, headers: {} }, res)).toBeNull();
      // 413, not 400: the size refused it, so the parser never ran.
      expect(res.status).toBe(413);
    });

    it('answers 413 on the declared Content-Length alone, without waiting for the body', async () => {
      const url = new URL(fixture.server.baseUrl);
      const answer = await new Promise<{ status: number; type: string }>((resolve, reject) => {
        const req = http.request(
          {
            host: url.hostname,
            port: url.port,
            method: 'POST',
            path: '/v1/referrals',
            headers: { ...JSON_HEADERS, 'content-length': String(50 * 1024 * 1024) },
          },
          (res) => {
            resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']) });
            res.resume();
            req.destroy();
          },
        );
        req.on('error', (e) => (e.message.includes('socket hang up') ? undefined : reject(e)));
        // The rest of the body never comes: a server that waited for it would never answer (hung).
        req.setTimeout(HUNG_MS, () =>
          req.destroy(new Error('the server waited for the 50 MB body instead of refusing it')),
        );
        req.write('{"referralId":');
      });
      expect(answer).toEqual({ status: 413, type: expect.stringContaining('application/problem+json') });
    });

    it('refuses a chunked body (no Content-Length) once it passes the limit', async () => {
      const url = new URL(fixture.server.baseUrl);
      const status = await new Promise<number>((resolve, reject) => {
        const req = http.request(
          {
            host: url.hostname,
            port: url.port,
            method: 'POST',
            path: '/v1/placements',
            headers: { ...JSON_HEADERS, 'transfer-encoding': 'chunked' },
          },
          (res) => {
            resolve(res.statusCode ?? 0);
            res.resume();
          },
        );
        req.on('error', reject);
        const chunk = ' '.repeat(64 * 1024);
        for (let sent = 0; sent <= MAX_BODY_BYTES; sent += chunk.length) req.write(chunk);
        req.end('{}');
      });
      expect(status).toBe(413);
    });
  });

  describe('what fuzzing found stays fixed', () => {
    const sample = (key: string): Record<string, unknown> => COMMAND_SAMPLES[key].body();
    const cases: [string, string, string][] = [
      // class-validator's @ValidateNested validates an array's items: `[]` had no items to fail,
      // and an event was written.
      [
        'a nested object sent as an empty array',
        '/v1/foster-households',
        JSON.stringify({ ...sample('POST /v1/foster-households'), terms: [] }),
      ],
      [
        'a list of nested objects sent as one object',
        '/v1/step-downs',
        JSON.stringify({
          ...sample('POST /v1/step-downs'),
          milestones: { milestoneId: 'ms-1', kind: 'visit', dueDate: '2026-12-10' },
        }),
      ],
      // class-transformer drops keys that name Object.prototype members, so forbidNonWhitelisted never saw them.
      [
        'a key named after an Object.prototype member',
        `/v1/referrals/${COMMAND_SAMPLES['POST /v1/referrals/:id/matching-meetings'].params['id']}/matching-meetings`,
        stringify(
          withKey(sample('POST /v1/referrals/:id/matching-meetings') as Json, ['unitConsidered'], 'toString', { a: 1 }),
        ),
      ],
      [
        'valueOf at the root',
        '/v1/settings',
        stringify(withKey(sample('POST /v1/settings') as Json, [], 'valueOf', 1)),
      ],
      // Without a zone, Date.parse reads an instant in the server's own time zone:
      // a hold's end depended on where the API ran.
      [
        'an instant without its zone',
        `/v1/referrals/${COMMAND_SAMPLES['POST /v1/referrals/:id/holds'].params['id']}/holds`,
        JSON.stringify({ ...sample('POST /v1/referrals/:id/holds'), until: '2026-12-01T18:00' }),
      ],
      // 2,500 nested arrays overflowed the stack while transforming the body: a 500.
      [
        'arrays nested 2,500 deep in a field',
        '/v1/step-downs',
        stringify(
          replaced(sample('POST /v1/step-downs') as Json, ['safetyPlan', 'reviewDate'], RAW_MARK),
          deepJson(2_500, 'array'),
        ),
      ],
    ];
    it.each(cases)('%s: 400 problem+json, nothing written', async (kind, path, body) => {
      const before = await store.headPosition();
      const res = await fixture.client.request({ method: 'POST', path, headers: JSON_HEADERS, body });
      expect(problemFailure({ kind, path, headers: JSON_HEADERS, body }, res)).toBeNull();
      expect(res.status).toBe(400);
      expect(await store.headPosition()).toBe(before);
    });
  });

  it('the samples were valid: sent as they are, each is refused by no validation rule', async () => {
    // Runs last (it writes): proves every fuzz case was invalid because of its one mutation.
    for (const [key, { params, body }] of Object.entries(COMMAND_SAMPLES)) {
      const res = await fixture.client.request({
        method: 'POST',
        path: fillPath(key.slice(5), params),
        headers: JSON_HEADERS,
        body: JSON.stringify(body()),
      });
      expect([key, res.status < 500 && res.status !== 400 ? 'valid' : res.text]).toEqual([key, 'valid']);
    }
  });
});

/**
 * Valid but extreme input (years 0100 and 9999, leap days, clock changes, 64-character ids,
 * any Unicode in free text) reaches the deciders: it may be accepted or refused by a rule,
 * but never answered with a 5xx, and the log stays verifiable.
 */
const EXTREME_RUNS = Number(process.env['FUZZ_EXTREME_RUNS'] ?? Math.max(50, Math.round(FUZZ_RUNS / 4)));
const FREE_TEXT_MAX: Record<string, number> = { name: 120, settingName: 120, label: 40, text: 500 };

const extremeDate: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('0100-01-01', '9999-12-31', '2024-02-29', '2026-03-29', '2026-10-25', '1900-01-01', '2099-12-31'),
  fc
    .date({ min: new Date(Date.UTC(100, 0, 1)), max: new Date(Date.UTC(9999, 11, 31)), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10)),
);
const extremeInstant: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '9999-12-31T23:59:59.999Z',
    '0100-01-01T00:00:00Z',
    '2026-03-29T01:30:00+01:00',
    '2026-10-25T01:30:00+00:00',
    '2026-12-01T18:00:00-12:00',
  ),
  fc
    .date({ min: new Date(Date.UTC(100, 0, 1)), max: new Date(Date.UTC(9999, 11, 31)), noInvalidDate: true })
    .map((d) => d.toISOString()),
);
const longId: fc.Arbitrary<string> = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{40,63}$/);

function extremeFor(key: string, value: Json): fc.Arbitrary<Json> | null {
  if (typeof value !== 'string') return null;
  if (isBusinessDate(value)) return extremeDate;
  if (isInstant(value)) return extremeInstant;
  if ((key === 'id' || key.endsWith('Id')) && ID_PATTERN.test(value)) return fc.oneof(fc.constant(value), longId);
  const max = FREE_TEXT_MAX[key];
  if (max !== undefined)
    return fc
      .string({ minLength: 1, maxLength: Math.floor(max / 4), unit: 'grapheme' })
      .filter((t) => t.trim().length > 0);
  return null;
}

/** Path parameters are pushed too (64-character ids), marked apart from body paths. */
const PARAM = '\u0000param:';

function extremeCases(routePath: string, params: Record<string, string>, sample: Json): fc.Arbitrary<FuzzCase> | null {
  const eligible = [
    ...paths(sample).map((p) => ({ p, arb: extremeFor(String(p[p.length - 1]), get(sample, p)) })),
    ...Object.entries(params).map(([name, value]) => ({ p: [`${PARAM}${name}`], arb: extremeFor('id', value) })),
  ].filter((e): e is { p: Path; arb: fc.Arbitrary<Json> } => e.arb !== null);
  if (eligible.length === 0) return null;
  return fc
    .uniqueArray(fc.constantFrom(...eligible), { minLength: 1, maxLength: 3, selector: (e) => e.p.join('.') })
    .chain((chosen) => fc.tuple(...chosen.map((e) => e.arb.map((v) => [e.p, v] as const))))
    .map((changes) => {
      const isParam = ([p]: readonly [Path, Json]) => String(p[0]).startsWith(PARAM);
      const pathParams = Object.fromEntries(
        changes.filter(isParam).map(([p, v]) => [String(p[0]).slice(PARAM.length), String(v)]),
      );
      const body = changes.filter((c) => !isParam(c)).reduce<Json>((b, [p, v]) => replaced(b, p, v), sample);
      return {
        kind: `extreme ${changes.map(([p, v]) => `${p.join('.').replace(PARAM, ':')}=${JSON.stringify(v)}`)}`,
        path: fillPath(routePath, { ...params, ...pathParams }),
        headers: JSON_HEADERS,
        body: JSON.stringify(body),
      };
    });
}

describe('valid but extreme input never gets a 5xx', () => {
  const fixture = withFixtureServer();
  const answers = new Map<number, number>();

  afterAll(async () => {
    const total = [...answers.values()].reduce((a, b) => a + b, 0);
    const byStatus = [...answers.entries()].sort(([a], [b]) => a - b).map(([status, n]) => `${status}×${n}`);
    process.stdout.write(
      `fuzz (valid extremes): ${total} cases (FUZZ_EXTREME_RUNS=${EXTREME_RUNS} per route), ` +
        `answers ${byStatus.join(' ')}\n`,
    );
  });

  it.each(Object.keys(COMMAND_SAMPLES))(
    '%s',
    async (key) => {
      const { params, body } = COMMAND_SAMPLES[key];
      expect(registeredRoutes(fixture.server.app).map(routeKey)).toContain(key);
      const cases = extremeCases(key.slice(key.indexOf(' ') + 1), params, body() as Json);
      if (cases === null) throw new Error(`${key}: no date, instant, id or free text to push to an extreme`);
      await fc.assert(
        fc.asyncProperty(cases, async (c) => {
          const res = await fixture.client.request({ method: 'POST', path: c.path, headers: c.headers, body: c.body });
          answers.set(res.status, (answers.get(res.status) ?? 0) + 1);
          if (res.status >= 500) throw new Error(describeFailure(c, res, 'a 5xx'));
          if (res.status >= 400) {
            const failure = problemFailure(c, res);
            if (failure) throw new Error(failure);
          } else JSON.parse(res.text);
        }),
        { numRuns: EXTREME_RUNS, seed: FUZZ_SEED, endOnFailure: true },
      );
    },
    600_000,
  );

  it('left a log whose every chain verifies', async () => {
    const store = await openSqliteEventStore({ path: fixture.server.sqlitePath, readonly: true });
    try {
      expect(await store.verify()).toMatchObject({ ok: true });
    } finally {
      await store.close();
    }
  });
});

/** Query strings reach read routes' DTOs too: repeated keys arrive as arrays, values as any text. */
const QUERY_RUNS = Number(process.env['FUZZ_QUERY_RUNS'] ?? Math.max(20, Math.round(FUZZ_RUNS / 10)));
const QUERY_KEYS = [
  'asOf',
  'head',
  'detail',
  'kind',
  'route',
  'include',
  'limit',
  'year',
  'from',
  'to',
  'months',
  'format',
  'rule',
  'settingId',
  'childId',
  'cursor',
  'minPosition',
];

function readParams(path: string): Record<string, string> {
  const id = path.startsWith('/v1/settings')
    ? FIXTURE.home
    : path.startsWith('/v1/children')
      ? FIXTURE.child
      : FIXTURE.referral;
  return { id, childId: FIXTURE.child, referralId: FIXTURE.referral, settingId: FIXTURE.home, bedId: 'b1' };
}

const queryString: fc.Arbitrary<string> = fc
  .array(
    fc.tuple(
      fc.oneof(fc.constantFrom(...QUERY_KEYS), fc.string({ maxLength: 8 })),
      fc.oneof(
        fc.string({ maxLength: 30 }),
        fc.constantFrom(
          '',
          '2026-02-30T00:00:00Z',
          '2026-11-27T12:00:00Z',
          '0:' + '0'.repeat(64),
          '-1',
          '1e400',
          '99999999999999999999',
          'NaN',
          'full',
          '12',
          'NO_OPEN_PLACEMENT',
        ),
      ),
    ),
    { maxLength: 6 },
  )
  .map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'));

describe('query strings on every read route never get a 5xx', () => {
  const fixture = withFixtureServer();

  it('answers every read route with 2xx or a 4xx problem+json, whatever the query', async () => {
    const reads = registeredRoutes(fixture.server.app).filter(
      (r) => r.method === 'GET' && r.path.startsWith('/v1/') && !r.path.endsWith('/stream'),
    );
    expect(reads.length).toBeGreaterThan(5);
    for (const route of reads) {
      const path = fillPath(route.path, readParams(route.path));
      await fc.assert(
        fc.asyncProperty(queryString, async (query) => {
          const c: FuzzCase = {
            kind: `query ?${query}`,
            path: `${path}?${query}`,
            headers: { authorization: `Bearer ${TOKENS.admin}` },
          };
          const res = await fixture.client.request({ method: 'GET', path: c.path, headers: c.headers });
          if (res.status >= 500) throw new Error(describeFailure(c, res, `a 5xx on GET ${route.path}`));
          if (res.status >= 400) {
            const failure = problemFailure(c, res);
            if (failure) throw new Error(failure);
          }
        }),
        { numRuns: QUERY_RUNS, seed: FUZZ_SEED, endOnFailure: true },
      );
    }
  }, 600_000);
});
