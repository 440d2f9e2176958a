import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { OpenAPIObject, PathItemObject, ResponseObject } from '@nestjs/swagger';
import { bootstrapApplication } from '../bootstrap';
import { bodyValidator } from './body-validator';
import { buildOpenApiDocument, isApiPath } from './openapi';
import responseSchemas from './response-schemas.json';

const REPO_ROOT = path.resolve(__dirname, '../../../..');
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

interface ExpressLayer {
  route?: { path: string; methods: Record<string, boolean> };
}

/** Every route the app registered with Express, as `METHOD /path/{param}`. */
function registeredRoutes(app: INestApplication): string[] {
  const express = app.getHttpAdapter().getInstance() as { router: { stack: ExpressLayer[] } };
  const routes = new Set<string>();
  for (const layer of express.router.stack) {
    if (!layer.route) continue;
    const openApiPath = layer.route.path.replace(/:(\w+)/g, '{$1}').replace(/\/$/, '') || '/';
    for (const method of Object.keys(layer.route.methods)) routes.add(`${method.toUpperCase()} ${openApiPath}`);
  }
  return [...routes].sort();
}

function documentedOperations(document: OpenAPIObject): string[] {
  return Object.entries(document.paths as Record<string, PathItemObject>)
    .flatMap(([p, item]) => METHODS.filter((m) => item[m]).map((m) => `${m.toUpperCase()} ${p}`))
    .sort();
}

describe('the OpenAPI document (what GET /docs/openapi.json serves)', () => {
  let dir: string;
  let app: INestApplication;
  let document: OpenAPIObject;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'placement-openapi-'));
    ({ app } = await bootstrapApplication({
      nestFactory: NestFactory,
      logger: false,
      env: {
        NODE_ENV: 'test',
        PORT: '0',
        SQLITE_PATH: path.join(dir, 'events.db'),
        READ_MODEL_PATH: path.join(dir, 'read-models.db'),
        SEED_DEMO_ESTATE: 'false',
      },
    }));
    document = buildOpenApiDocument(app);
  });

  const responseOf = (p: string, method: 'get' | 'post', status: string): ResponseObject =>
    (document.paths[p][method]?.responses[status] ?? {}) as ResponseObject;

  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('documents every API route the app registers, and nothing it does not (the board is not the API)', () => {
    const registered = registeredRoutes(app);
    const api = registered.filter((route) => isApiPath(route.split(' ')[1]));
    expect(api.length).toBeGreaterThan(40);
    expect(documentedOperations(document)).toEqual(api);
    // What the rule leaves out is the board's pages, its assets and sign-in, the docs UI and the 404 catch-all.
    for (const route of registered.filter((r) => !api.includes(r))) {
      expect(route).not.toMatch(/^\w+ \/(v\d+|health)\b/);
    }
  });

  it('gives every operation a summary, its problems as problem+json and a success response', () => {
    for (const [p, item] of Object.entries(document.paths as Record<string, PathItemObject>)) {
      for (const method of METHODS) {
        const operation = item[method];
        if (!operation) continue;
        const name = `${method.toUpperCase()} ${p}`;
        expect({ name, summary: operation.summary }).toEqual({ name, summary: expect.stringMatching(/\S/) });
        const statuses = Object.keys(operation.responses);
        expect({ name, success: statuses.some((s) => /^2/.test(s)) }).toEqual({ name, success: true });
        for (const status of statuses.filter((s) => /^4/.test(s))) {
          const content = (operation.responses[status] as { content?: Record<string, unknown> }).content ?? {};
          expect({ name, status, types: Object.keys(content) }).toEqual({
            name,
            status,
            types: ['application/problem+json'],
          });
        }
      }
    }
  });

  it('documents a command: idempotency and correlation headers, CommandResult, its 409 codes, 401/403/429', () => {
    const register = document.paths['/v1/settings'].post ?? { parameters: [], responses: {} };
    const headers = (register.parameters as { name: string; in: string }[]).filter((p) => p.in === 'header');
    expect(headers.map((h) => h.name).sort()).toEqual(['Idempotency-Key', 'X-Correlation-Id', 'X-Request-Id']);
    expect(register.responses['201']).toMatchObject({
      content: { 'application/json': { schema: { $ref: '#/components/schemas/CommandResult' } } },
      headers: { 'X-Request-Id': expect.any(Object) },
    });
    expect(Object.keys(register.responses).sort()).toEqual(
      ['201', '400', '401', '403', '409', '413', '415', '422', '429'].sort(),
    );
    expect(responseOf('/v1/settings', 'post', '409').description).toContain('IDEMPOTENCY_CONFLICT');
    expect(register.security).toEqual([{ bearer: [] }]);
    // A route's own rule codes join those of its kind.
    expect(responseOf('/v1/step-downs', 'post', '422').description).toContain('SAFETY_PLAN_REQUIRED');
    expect(responseOf('/v1/step-downs/{id}/complete', 'post', '404').description).toContain('NOT_FOUND');
    const live = document.paths['/health/live'].get;
    expect(live?.security).toEqual([]);
    expect(Object.keys(live?.responses ?? {})).toEqual(['200', '503']);
  });

  it("names each command's operation after the command, whatever the class its route is declared in", () => {
    const commandIds: Record<string, string> = {};
    for (const [p, item] of Object.entries(document.paths as Record<string, PathItemObject>)) {
      const headers = (item.post?.parameters ?? []) as { name: string }[];
      if (headers.some((h) => h.name === 'Idempotency-Key')) commandIds[`POST ${p}`] = item.post?.operationId ?? '';
    }
    expect(commandIds).toMatchObject({
      'POST /v1/referrals': 'receiveReferral',
      'POST /v1/referrals/{id}/matching-meetings': 'recordMatchingMeeting',
      'POST /v1/referrals/{id}/withdraw': 'withdrawReferral',
      'POST /v1/referrals/{id}/needs': 'updateNeeds',
      'POST /v1/referrals/{id}/matches/proposals': 'proposeMatches',
      'POST /v1/foster-households': 'approveHousehold',
      'POST /v1/foster-households/{id}/suspend': 'suspendHousehold',
      'POST /v1/foster-households/{id}/reinstate': 'reinstateHousehold',
      'POST /v1/foster-households/{id}/resign': 'resignHousehold',
      'POST /v1/foster-households/{id}/terms': 'changeApprovalTerms',
      'POST /v1/foster-households/{id}/members': 'recordHouseholdMembers',
      'POST /v1/block-bookings': 'contractBlockBooking',
      'POST /v1/settings': 'registerSetting',
      'POST /v1/settings/{id}/registration': 'changeRegistration',
      'POST /v1/settings/{id}/close': 'closeSetting',
      'POST /v1/settings/{id}/statement-of-purpose': 'recordStatementOfPurpose',
      'POST /v1/children/{id}/details': 'updateChildDetails',
      'POST /v1/children/{id}/legal-status': 'changeLegalStatus',
      'POST /v1/children/{id}/care-leaver': 'recordCareLeaver',
    });
    // Every other command sliced into its own `<Command>Route` is named after that command too.
    const ids = Object.values(commandIds);
    expect(ids.filter((id) => /Route_/.test(id))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('describes opaque bearer tokens, CSV and event-stream media, and nullable strings as strings', () => {
    expect(document.components?.securitySchemes?.['bearer']).toEqual(
      expect.not.objectContaining({ bearerFormat: expect.anything() }),
    );
    expect(Object.keys(responseOf('/v1/exports/ssda903/episodes.csv', 'get', '200').content ?? {})).toEqual([
      'text/csv',
    ]);
    const streams = Object.keys(document.paths).filter((p) => p.endsWith('/stream'));
    expect(streams).toContain('/v1/capacity/stream');
    for (const stream of streams) {
      expect({ stream, types: Object.keys(responseOf(stream, 'get', '200').content ?? {}) }).toEqual({
        stream,
        types: ['text/event-stream'],
      });
    }
    const schemas = document.components?.schemas as Record<string, { properties?: Record<string, unknown> }>;
    expect(schemas['RegisterSettingDto'].properties?.['urn']).toMatchObject({ type: 'string', nullable: true });
    const untyped = Object.entries(schemas).flatMap(([schema, s]) =>
      Object.entries(s.properties ?? {})
        .filter(([, v]) => {
          const p = v as Record<string, unknown>;
          return p['type'] === 'object' && !p['properties'] && !p['additionalProperties'] && !p['allOf'];
        })
        .map(([name]) => `${schema}.${name}`),
    );
    expect(untyped).toEqual([]);
  });

  it('answers every JSON read with a body schema generated from its type, and an example that schema accepts', () => {
    const check = bodyValidator(document.components?.schemas as Record<string, unknown>);
    const reads: string[] = [];
    const problems: string[] = [];
    for (const [p, item] of Object.entries(document.paths as Record<string, PathItemObject>)) {
      const media = (item.get?.responses['200'] as ResponseObject | undefined)?.content?.['application/json'];
      if (!media || !p.startsWith('/v1/')) continue;
      const body = (media.schema as { $ref?: string }).$ref?.replace('#/components/schemas/', '') ?? '(inline)';
      reads.push(body);
      if (!responseSchemas.bodies.includes(body)) problems.push(`GET ${p}: ${body} is not a generated body`);
      else if (media.example === undefined) problems.push(`GET ${p}: no example`);
      else problems.push(...check(body, media.example).map((e) => `GET ${p} example: ${e}`));
    }
    expect(problems).toEqual([]);
    // Each generated body is some route's: a name nobody answers with is a leftover.
    expect([...new Set(reads)].sort()).toEqual([...responseSchemas.bodies].sort());
  });

  it("holds the read bodies' schemas exactly as their TypeScript types give them (openapi:schemas)", async () => {
    const run = await promisify(execFile)('node', [path.join(REPO_ROOT, 'tools/response-schemas.js'), '--check'], {
      cwd: REPO_ROOT,
    }).catch((error: { stdout?: string; stderr?: string }) => ({
      stdout: error.stdout ?? '',
      stderr: error.stderr ?? '',
    }));
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('is up to date');
  }, 120_000);

  it('passes Redocly CLI (redocly.yaml: the recommended rules) with zero errors', async () => {
    const file = path.join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(document, null, 2));
    const redocly = path.join(REPO_ROOT, 'node_modules/.bin/redocly');
    const args = ['lint', file, '--config', path.join(REPO_ROOT, 'redocly.yaml'), '--format', 'json'];
    const run = await promisify(execFile)(redocly, args, { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024 }).catch(
      (error: { stdout?: string; stderr?: string }) => ({ stdout: error.stdout ?? '', stderr: error.stderr ?? '' }),
    );
    const report = JSON.parse(run.stdout) as {
      totals: { errors: number; warnings: number };
      problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[];
    };
    const errors = report.problems
      .filter((p) => p.severity === 'error')
      .map((p) => `${p.ruleId} ${p.location[0]?.pointer}: ${p.message}`);
    expect(errors).toEqual([]);
    expect(report.totals.errors).toBe(0);
  });
});
