import { applyDecorators, type INestApplication } from '@nestjs/common';
import {
  ApiExtension,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  DocumentBuilder,
  SwaggerModule,
} from '@nestjs/swagger';
import { DOMAIN_ERROR_KINDS, type DomainErrorCode } from '@placement/domain';
import type { OpenAPIObject, OperationObject, ParameterObject, PathItemObject } from '@nestjs/swagger';
import type { ResponseObject, SchemaObject } from '@nestjs/swagger';
import type { ResponseBodyName } from './response-bodies';
import responseExamples from './response-examples.json';
import responseSchemas from './response-schemas.json';

/**
 * The HTTP API's document is generated from the routes, then completed here by rule, so a new
 * route is documented by the same means as the others (its problems, headers, security).
 *
 * What the document covers: the versioned API (`/v1/…`) and the health probes (`/health…`).
 * The board (server-rendered HTML pages, its assets and sign-in, under `/`) and the
 * document's own UI (`/docs`) are not part of the API contract.
 */
export const API_PATH = /^\/(v1|health)(\/|$)/;

export function isApiPath(path: string): boolean {
  return API_PATH.test(path);
}

// Markers the decorators leave on an operation for `completeDocument`; removed from the published document.
const X_PUBLIC = 'x-placement-public';
const X_ROLES = 'x-placement-roles';
const X_COMMAND = 'x-placement-command';
const X_PROBLEMS = 'x-placement-problems';

/** The stable codes the HTTP edge adds to the domain's (idempotency, concurrency, ids, the store, matching). */
const EDGE_CODES = [
  'ID_IN_USE',
  'IDEMPOTENCY_CONFLICT',
  'CONCURRENT_UPDATE',
  'STORE_UNAVAILABLE',
  'MATCH_INPUTS_CHANGED',
  'PROPOSAL_TOO_LARGE',
] as const;
type ProblemCode = DomainErrorCode | (typeof EDGE_CODES)[number];
const ALL_CODES = [...Object.keys(DOMAIN_ERROR_KINDS), ...EDGE_CODES].sort();

/** Problem statuses a route documents, each with the stable codes it can carry where known. */
export type ProblemCodes = Partial<Record<400 | 403 | 404 | 409 | 422 | 503, ProblemCode[]>>;

/** A route's problems beyond those every route of its kind has (e.g. `{ 422: ['SAFETY_PLAN_REQUIRED'] }`). */
export const ApiProblems = (codes: ProblemCodes) => ApiExtension(X_PROBLEMS, codes);

/**
 * A command route: its summary and the rule codes it can refuse with. Headers and CommandResult come by rule.
 * Its operationId is the command's name (`holdBed`): given here, else read from a route class named
 * `<Command>Route`, so the operation keeps its name whichever class or file declares the route.
 */
export const ApiCommand =
  (summary: string, codes: ProblemCodes = {}, operationId?: string): MethodDecorator =>
  (target, key, descriptor) => {
    const name = operationId ?? commandOfRoute(target.constructor.name);
    const operation = ApiOperation({ summary, ...(name === undefined ? {} : { operationId: name }) });
    applyDecorators(operation, ApiProblems(codes))(target, key, descriptor);
  };

/** `HoldBedRoute` sends HoldBed: its operation is `holdBed`. */
function commandOfRoute(className: string): string | undefined {
  const command = /^(\w+)Route$/.exec(className)?.[1];
  return command === undefined ? undefined : command[0].toLowerCase() + command.slice(1);
}

/**
 * A read route: its summary, the body it answers with (a name from response-bodies.ts, whose
 * schema is generated from the TypeScript type) and the problems it can answer with beyond
 * authentication and validation.
 */
export const ApiRead = (summary: string, body: ResponseBodyName, codes: ProblemCodes = {}) =>
  applyDecorators(
    ApiOperation({ summary }),
    ApiOkResponse({ description: summary, schema: { $ref: `#/components/schemas/${body}` } }),
    ApiProblems(codes),
  );

/** The generated schemas of the read bodies, and an example of each taken from the demo estate. */
const BODY_SCHEMAS = responseSchemas.schemas as unknown as Record<string, SchemaObject>;
const BODY_EXAMPLES = responseExamples as Record<string, unknown>;

/** A `text/event-stream` route (Server-Sent Events). */
export const ApiEventStream = (summary: string) =>
  applyDecorators(
    ApiOperation({ summary }),
    ApiProduces('text/event-stream'),
    ApiOkResponse({ description: 'The stream', schema: { type: 'string' } }),
  );

/** A `text/csv` download. */
export const ApiCsv = (description: string) =>
  applyDecorators(ApiProduces('text/csv'), ApiOkResponse({ description, schema: { type: 'string' } }));

/** Marks a route that needs no token (applied by `@Public()`). */
export const ApiPublicMarker = () => ApiExtension(X_PUBLIC, true);
/** Records the roles a route admits (applied by `@Roles()`), so the document shows its 403. */
export const ApiRolesMarker = (roles: readonly string[]) => ApiExtension(X_ROLES, [...roles]);

/**
 * Applied by `@Sender()` (every command route takes it): documents the idempotency
 * and correlation headers and marks the operation as a command (its result, its 409s).
 */
export function documentCommandParameter(target: object, key: string | symbol | undefined): void {
  if (key === undefined) return;
  const descriptor = Object.getOwnPropertyDescriptor(target, key);
  if (!descriptor) return;
  const headerRule = '1–128 letters, digits, _ . : or - (a malformed value is a 400)';
  applyDecorators(
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        `A retry with the same key and the same request answers the first result (\`replayed: true\`) and ` +
        `writes nothing; the same key with a different request is a 409 IDEMPOTENCY_CONFLICT. ${headerRule}.`,
      schema: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,128}$', example: 'retry-7f3a' },
    }),
    ApiHeader({
      name: 'X-Correlation-Id',
      required: false,
      description: `Recorded in the events' metadata and the log lines; defaults to the request id. ${headerRule}.`,
      schema: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,128}$', example: 'case-review-42' },
    }),
    ApiExtension(X_COMMAND, true),
  )(target, key, descriptor);
}

const PROBLEM_JSON = 'application/problem+json';
const EVENT_STREAM = 'text/event-stream';
const PROBLEM_REF = { $ref: '#/components/schemas/ProblemDetails' };

const PROBLEM_SCHEMAS: Record<string, SchemaObject> = {
  FieldViolation: {
    type: 'object',
    required: ['field', 'rule', 'message'],
    properties: {
      field: { type: 'string', description: 'Dotted path of the offending field', example: 'needs.ageYears' },
      rule: { type: 'string', description: 'The rule it broke', example: 'isInt' },
      message: { type: 'string', example: 'needs.ageYears must be an integer number' },
    },
  },
  ProblemDetails: {
    type: 'object',
    description: 'RFC 9457 problem details. Never carries a child’s data.',
    required: ['type', 'title', 'status'],
    properties: {
      type: { type: 'string', format: 'uri', example: 'https://placement-engine.example/problems/validation' },
      title: { type: 'string', example: 'Invalid request' },
      status: { type: 'integer', example: 400 },
      detail: { type: 'string', example: 'needs.ageYears: needs.ageYears must be an integer number' },
      instance: { type: 'string', description: 'The request path (never its query string)', example: '/v1/referrals' },
      code: {
        type: 'string',
        description: 'The broken rule’s stable code (on 404, 409, 422 and 503); one of the catalogue',
        enum: ALL_CODES,
        example: 'ID_IN_USE',
      },
      errors: { type: 'array', items: { $ref: '#/components/schemas/FieldViolation' } },
    },
  },
  CommandResult: {
    type: 'object',
    required: ['id', 'events', 'position', 'replayed'],
    properties: {
      id: { type: 'string', description: 'The resource the command acted on', example: 'ref-2026-0042' },
      events: { type: 'array', items: { type: 'string' }, example: ['ReferralReceived'] },
      position: {
        type: 'string',
        description: 'Global position of the last event written; pass as `minPosition` to read your writes',
        example: '1024',
      },
      replayed: { type: 'boolean', description: 'A retry of a command already handled: nothing new was written' },
    },
  },
};

const COMMAND_EXAMPLE = { id: 'ref-2026-0042', events: ['ReferralReceived'], position: '1024', replayed: false };

const COMMAND_CONFLICTS: ProblemCode[] = ['ID_IN_USE', 'IDEMPOTENCY_CONFLICT', 'CONCURRENT_UPDATE'];

const PROBLEM_TEXT: Record<number, string> = {
  400: 'Invalid request: `errors` names each field and the rule it broke; nothing is written',
  401: 'No bearer token, or one that is unknown, expired or revoked',
  403: 'The caller’s role (or need to know) does not allow this',
  404: 'No such record',
  409: 'Conflict with what is already recorded',
  413: 'The body is larger than MAX_BODY_BYTES',
  415: 'The body is not application/json',
  422: 'A rule of the domain refused the request',
  429: 'Too many failed authentications from this address; retry after the Retry-After seconds',
  503: 'The event store cannot be reached',
};

const REQUEST_ID_PARAMETER: ParameterObject = {
  name: 'X-Request-Id',
  in: 'header',
  required: false,
  description: 'Names the request in the logs; generated when absent, and echoed in the response',
  schema: { type: 'string', maxLength: 128 },
};

const REQUEST_ID_HEADER = {
  description: 'The request id (as sent, or generated)',
  schema: { type: 'string' },
};

/** The API's document as `GET /docs/openapi.json` serves it. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Placement-matching and capacity engine')
    .setDescription(
      "Referrals, matching, placements, step-downs and bed vacancy for a local authority's children's services. " +
        'Errors are RFC 9457 problem+json. Commands accept an Idempotency-Key for safe retries.',
    )
    .setVersion('1')
    .setLicense('UNLICENSED', 'https://placement-engine.example/licence')
    .addServer('/', 'This server')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        description: 'An opaque API token (not a JWT), issued per person with one role; see API_TOKENS',
      },
      'bearer',
    )
    .build();
  return completeDocument(SwaggerModule.createDocument(app, config));
}

/** Completes the generated document by rule: only API paths, problems, headers, security, media types. */
export function completeDocument(document: OpenAPIObject): OpenAPIObject {
  const paths: OpenAPIObject['paths'] = {};
  for (const [path, item] of Object.entries(document.paths) as [string, PathItemObject][]) {
    if (!isApiPath(path)) continue;
    paths[path] = item;
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = item[method];
      if (operation) completeOperation(operation, method);
    }
  }
  document.paths = paths;
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ...PROBLEM_SCHEMAS },
  };
  for (const [name, schema] of Object.entries(BODY_SCHEMAS)) {
    if (document.components.schemas?.[name]) throw new Error(`schema ${name} is both a DTO and a generated body`);
    document.components.schemas = { ...document.components.schemas, [name]: schema };
  }
  fixNullableScalars(document.components.schemas as Record<string, SchemaObject>);
  // DocumentBuilder writes `bearerFormat: JWT` by default; the API's tokens are opaque.
  const bearer = document.components.securitySchemes?.['bearer'] as { bearerFormat?: string } | undefined;
  if (bearer) delete bearer.bearerFormat;
  // Tags no API operation uses (the board's) go with their routes.
  const items = Object.values(paths) as PathItemObject[];
  const used = new Set(items.flatMap((item) => Object.values(item).flatMap(tagsOf)));
  document.tags = (document.tags ?? []).filter((tag: { name: string }) => used.has(tag.name));
  return document;
}

function tagsOf(operation: unknown): string[] {
  return (operation as OperationObject | undefined)?.tags ?? [];
}

function completeOperation(operation: OperationObject, method: string): void {
  const ext = operation as unknown as Record<string, unknown>;
  const isPublic = ext[X_PUBLIC] === true;
  const roles = ext[X_ROLES] as string[] | undefined;
  const isCommand = ext[X_COMMAND] === true;
  const codes = (ext[X_PROBLEMS] ?? {}) as ProblemCodes;
  for (const key of [X_PUBLIC, X_ROLES, X_COMMAND, X_PROBLEMS]) delete ext[key];

  const problems = new Map<number, string[]>();
  const add = (status: number, ...found: string[]) => problems.set(status, [...(problems.get(status) ?? []), ...found]);
  const parameters = (operation.parameters ?? []) as ParameterObject[];

  operation.security = isPublic ? [] : [{ bearer: [] }];
  if (!isPublic) {
    add(401);
    add(429);
  }
  if (roles) add(403);
  if (operation.requestBody) {
    add(400);
    add(413);
    add(415);
  }
  if (parameters.length > 0) add(400);
  if (parameters.some((p) => p.in === 'path')) add(404, 'NOT_FOUND');
  if (isCommand) {
    add(409, ...COMMAND_CONFLICTS);
    // Every command is decided by the domain's rules; `code` names the one it broke.
    add(422);
  }
  for (const [status, found] of Object.entries(codes)) add(Number(status), ...found);

  for (const [status, found] of problems) {
    const existing = operation.responses[status] as ResponseObject | undefined;
    operation.responses[status] = problemResponse(status, [...new Set(found)], existing?.description);
  }
  if (!isPublic) {
    (operation.responses['401'] as ResponseObject).headers = {
      'WWW-Authenticate': { description: 'Bearer realm="placement-api"', schema: { type: 'string' } },
    };
    (operation.responses['429'] as ResponseObject).headers = {
      'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } },
    };
  }

  if (roles && !(operation.description ?? '').includes('Roles:')) {
    operation.description = [operation.description, `Roles: ${roles.join(', ')}.`].filter(Boolean).join('\n\n');
  }
  operation.parameters = [...parameters.filter((p) => p.name !== REQUEST_ID_PARAMETER.name), REQUEST_ID_PARAMETER];

  for (const [status, response] of Object.entries(operation.responses) as [string, ResponseObject][]) {
    if (/^2/.test(status)) completeSuccess(response, isCommand, method);
    response.headers = { ...response.headers, 'X-Request-Id': REQUEST_ID_HEADER };
  }
}

function completeSuccess(response: ResponseObject, isCommand: boolean, method: string): void {
  if (isCommand) {
    response.description = 'Recorded (or, for a retry, the first result replayed)';
    response.content = {
      'application/json': { schema: { $ref: '#/components/schemas/CommandResult' }, example: COMMAND_EXAMPLE },
    };
    return;
  }
  const content = response.content ?? {};
  const json = content['application/json'] as { schema?: { $ref?: string }; example?: unknown } | undefined;
  const body = json?.schema?.$ref?.replace('#/components/schemas/', '');
  if (json && body !== undefined && BODY_EXAMPLES[body] !== undefined) json.example = BODY_EXAMPLES[body];
  for (const [type, media] of Object.entries(content) as [string, { schema?: SchemaObject }][]) {
    if (type === 'text/csv') media.schema = { type: 'string', example: 'CHILD,SEX,DOB\n' };
    if (type === EVENT_STREAM) {
      media.schema = {
        type: 'string',
        description: 'Server-Sent Events: `snapshot` on connect, then `delta` after every change',
        example: 'event: snapshot\ndata: {"position":"1024"}\n\n',
      };
    }
  }
  if (method === 'get' && Object.keys(content).length === 0) {
    response.content = { 'application/json': { schema: { type: 'object' } } };
  }
}

function problemResponse(status: number, codes: string[], description?: string): ResponseObject {
  const text = description && !/^(Forbidden|Not Found|Unauthorized)/.test(description) ? description : undefined;
  const lines = [text ?? PROBLEM_TEXT[status] ?? 'Problem'];
  if (codes.length > 0) lines.push(`Codes: ${codes.join(', ')}`);
  const schema: SchemaObject | { $ref: string } =
    codes.length > 0
      ? { allOf: [PROBLEM_REF, { type: 'object', properties: { code: { type: 'string', enum: codes } } }] }
      : PROBLEM_REF;
  return {
    description: lines.join('. '),
    content: {
      [PROBLEM_JSON]: {
        schema,
        example: {
          type:
            'https://placement-engine.example/problems/' +
            (codes[0]?.toLowerCase().replace(/_/g, '-') ?? `http-${status}`),
          title: PROBLEM_TEXT[status] ?? 'Problem',
          status,
          ...(codes[0] ? { code: codes[0] } : {}),
        },
      },
    },
  };
}

/**
 * A `string | null` (or `number | null`) property reflects as Object; `@ApiProperty` then writes
 * `type: object`. The type is recovered from what the property's own description says (pattern,
 * example, bounds); a `$ref` keeps its reference without a type.
 */
function fixNullableScalars(schemas: Record<string, SchemaObject>): void {
  for (const schema of Object.values(schemas)) {
    for (const property of Object.values(schema.properties ?? {}) as SchemaObject[]) {
      if (property.type !== 'object' || property.properties || property.additionalProperties) continue;
      // A nullable reference (`allOf: [$ref]`) is an object: its type stays, as OpenAPI 3.0 needs beside nullable.
      if (property.allOf || property.oneOf || property.anyOf) continue;
      if (property.enum || property.pattern || property.format || typeof property.example === 'string') {
        property.type = 'string';
      } else if (
        typeof property.example === 'number' ||
        property.minimum !== undefined ||
        property.maximum !== undefined
      ) {
        property.type = 'number';
      }
    }
  }
}
