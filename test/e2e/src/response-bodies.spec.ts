import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { bodyValidator } from '@placement/api';
import { TestClock } from './support/clock';
import { api, startServer, TestServer, TOKENS } from './support/server';

/**
 * The document's read bodies are what the routes answer: every JSON read route is fetched on the
 * seeded estate and its body validated against the schema the OpenAPI document gives it (objects
 * closed: a field the document does not name fails). The document's examples are these answers,
 * trimmed: `UPDATE_RESPONSE_EXAMPLES=1` rewrites them from this run (as a snapshot is updated).
 */
const EXAMPLES = path.resolve(__dirname, '../../../apps/placement-api/src/http/response-examples.json');

interface Read {
  readonly route: string;
  /** The request, with the seeded ids and a query. */
  readonly url: string;
  readonly token: string;
}

/** A read of `route` at `url` (the route itself unless given), as a placement officer unless `token` says otherwise. */
const read = (route: string, url = route, token: string = TOKENS.placement): Read => ({ route, url, token });

const READS: readonly Read[] = [
  read('/v1/capacity'),
  read('/v1/block-bookings/utilisation', '/v1/block-bookings/utilisation?from=2026-06-01&to=2026-11-30'),
  read('/v1/sufficiency/trends'),
  read('/v1/settings', '/v1/settings?limit=2'),
  read('/v1/settings/{id}', '/v1/settings/rmbc-ch-02'),
  read('/v1/settings/{id}/diary', '/v1/settings/rmbc-ch-01/diary?from=2026-11-30&to=2026-12-13'),
  read('/v1/foster-households', '/v1/foster-households?limit=2'),
  read('/v1/foster-households/{id}', '/v1/foster-households/rmbc-fh-001'),
  read('/v1/foster-households/{id}/diary', '/v1/foster-households/rmbc-fh-001/diary?from=2026-11-30&to=2026-12-13'),
  read('/v1/block-bookings', '/v1/block-bookings?limit=2'),
  read('/v1/block-bookings/{id}', '/v1/block-bookings/{first contract}'),
  read('/v1/referrals', '/v1/referrals?status=open&limit=2'),
  read('/v1/referrals/{id}', '/v1/referrals/ref-c0063'),
  read('/v1/referrals/{id}/matches', '/v1/referrals/ref-c0063/matches'),
  read('/v1/children', '/v1/children?limit=2'),
  read('/v1/children/{id}', '/v1/children/c0004'),
  read('/v1/placements', '/v1/placements?open=true&limit=2'),
  read('/v1/step-downs', '/v1/step-downs?limit=2'),
  read('/v1/alerts', '/v1/alerts?limit=2'),
  read('/v1/audit/children/{childId}', '/v1/audit/children/c0004', TOKENS.auditor),
  read('/v1/audit/referrals/{referralId}', '/v1/audit/referrals/ref-c0063', TOKENS.auditor),
  read('/v1/audit/beds/{settingId}/{bedId}', '/v1/audit/beds/rmbc-ch-02/b1', TOKENS.auditor),
  read('/v1/audit/verify', '/v1/audit/verify', TOKENS.auditor),
  read('/v1/audit/access', '/v1/audit/access?limit=2', TOKENS.auditor),
  read('/v1/exports/ssda903/report', '/v1/exports/ssda903/report?year=2026', TOKENS.auditor),
];

interface Document {
  paths: Record<string, { get?: { responses: Record<string, { content?: Record<string, { schema?: unknown }> }> } }>;
  components: { schemas: Record<string, unknown> };
}

/** An example short enough to read: every list cut to its first two items. */
function trimmed(value: unknown): unknown {
  if (Array.isArray(value)) return value.slice(0, 2).map(trimmed);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, trimmed(inner)]));
}

describe('read bodies on the seeded estate are what the OpenAPI document says', () => {
  let server: TestServer;
  let document: Document;
  let check: ReturnType<typeof bodyValidator>;

  beforeAll(async () => {
    server = await startServer({ SEED_DEMO_ESTATE: 'true' }, { clock: new TestClock() });
    document = (await api<Document>(server, 'GET', '/docs/openapi.json')).body;
    check = bodyValidator(document.components.schemas);
  }, 120_000);
  afterAll(async () => {
    await server?.close();
  });

  const bodyOf = (route: string): string => {
    const schema = document.paths[route]?.get?.responses['200']?.content?.['application/json']?.schema as
      { $ref?: string } | undefined;
    return schema?.$ref?.replace('#/components/schemas/', '') ?? '(none)';
  };

  it('fetches every JSON read route the document lists (the streams, CSV files and probes apart)', () => {
    const documented = Object.entries(document.paths)
      .filter(([route, item]) => route.startsWith('/v1/') && item.get?.responses['200']?.content?.['application/json'])
      .map(([route]) => route)
      .sort();
    expect(READS.map((read) => read.route).sort()).toEqual(documented);
  });

  it('answers each with a body its schema accepts, closed to fields the document does not name', async () => {
    const examples: Record<string, unknown> = {};
    const failures: string[] = [];
    const contracts = await api<{ items: { contractId: string }[] }>(server, 'GET', '/v1/block-bookings', {
      token: TOKENS.placement,
    });
    const firstContract = contracts.body.items[0]?.contractId;
    expect(firstContract).toBeDefined();
    for (const read of READS) {
      const body = bodyOf(read.route);
      const url = read.url.replace('{first contract}', String(firstContract));
      const res = await api(server, 'GET', url, { token: read.token });
      if (res.status !== 200) {
        failures.push(`${url}: ${res.status}`);
        continue;
      }
      const errors = check(body, res.body);
      if (errors.length > 0) failures.push(`${url} (${body}): ${errors.join('; ').slice(0, 600)}`);
      examples[body] = trimmed(res.body);
    }
    expect(failures).toEqual([]);
    if (process.env['UPDATE_RESPONSE_EXAMPLES'] === '1')
      writeFileSync(EXAMPLES, `${JSON.stringify(examples, null, 2)}\n`);
  });
});
