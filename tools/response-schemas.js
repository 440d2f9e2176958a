#!/usr/bin/env node
/**
 * Generates the OpenAPI schemas of the API's read bodies from their TypeScript types
 * (apps/placement-api/src/http/response-bodies.ts) into response-schemas.json beside it.
 *
 *   node tools/response-schemas.js          write the file
 *   node tools/response-schemas.js --check  exit 1 if the file is not what the types give
 *
 * ts-json-schema-generator reads the types (with their doc comments as descriptions);
 * json-schema-to-openapi-schema turns JSON Schema's `null` types into OpenAPI 3.0's `nullable`.
 */
const { readFileSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const { createGenerator } = require('ts-json-schema-generator');
const { convert } = require('@openapi-contrib/json-schema-to-openapi-schema');
const prettier = require('prettier');

const ROOT = path.resolve(__dirname, '..');
const SOURCE = path.join(ROOT, 'apps/placement-api/src/http/response-bodies.ts');
const TARGET = path.join(ROOT, 'apps/placement-api/src/http/response-schemas.json');
const CATALOGUE = 'ResponseBodies';

/** OpenAPI names allow no `<>`: `ListBody<AlertItem>` is named `ListBodyOfAlertItem`. */
const nameOf = (definition) =>
  decodeURIComponent(definition)
    .replace(/<|,\s*/g, 'Of')
    .replace(/[>\s"']/g, '');

/** `#/definitions/X` → `#/components/schemas/X`. */
function toComponents(value) {
  if (Array.isArray(value)) return value.map(toComponents);
  if (value === null || typeof value !== 'object') return value;
  const out = {};
  for (const [key, inner] of Object.entries(value)) {
    if (key === '$ref' && typeof inner === 'string') {
      out.$ref = `#/components/schemas/${nameOf(inner.replace('#/definitions/', ''))}`;
    } else out[key] = toComponents(inner);
  }
  return out;
}

/**
 * OpenAPI 3.0 ignores a `$ref`'s siblings: a nullable reference becomes `allOf: [$ref]` with
 * `nullable`, and a lone `anyOf: [$ref]` the reference itself.
 */
function tidy(value) {
  if (Array.isArray(value)) return value.map(tidy);
  if (value === null || typeof value !== 'object') return value;
  const out = {};
  for (const [key, inner] of Object.entries(value)) out[key] = tidy(inner);
  if (out.$ref && out.nullable) {
    const { $ref, nullable, ...rest } = out;
    return { ...rest, allOf: [{ $ref }], nullable };
  }
  if (Array.isArray(out.anyOf) && out.anyOf.length === 1) {
    const { anyOf, ...rest } = out;
    return { ...anyOf[0], ...rest };
  }
  return out;
}

/** The one type a schema's values all have (through references and unions), or undefined. */
function typeOf(schema, schemas, seen = new Set()) {
  if (schema.type) return schema.type;
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    if (seen.has(name)) return undefined;
    seen.add(name);
    return typeOf(schemas[name], schemas, seen);
  }
  if (schema.allOf) return typeOf(schema.allOf[0], schemas, seen);
  const branches = schema.anyOf ?? schema.oneOf;
  if (!branches) return undefined;
  const types = new Set(branches.map((branch) => typeOf(branch, schemas, new Set(seen))));
  return types.size === 1 ? [...types][0] : undefined;
}

/**
 * OpenAPI 3.0 wants a `type` beside `nullable`: the type the values share where they share one;
 * otherwise (`string | number | boolean | null`) the first branch of the union carries `nullable`.
 */
function typeNullables(value, schemas) {
  if (Array.isArray(value)) return value.map((item) => typeNullables(item, schemas));
  if (value === null || typeof value !== 'object') return value;
  const out = {};
  for (const [key, inner] of Object.entries(value)) out[key] = typeNullables(inner, schemas);
  if (out.nullable !== true || out.type) return out;
  const type = typeOf(out, schemas);
  if (type) return { type, ...out };
  const { nullable, anyOf, ...rest } = out;
  if (!anyOf) throw new Error(`cannot type a nullable schema: ${JSON.stringify(out)}`);
  return { ...rest, anyOf: [{ ...anyOf[0], nullable }, ...anyOf.slice(1)] };
}

async function generate() {
  const generator = createGenerator({
    path: SOURCE,
    tsconfig: path.join(ROOT, 'apps/placement-api/tsconfig.json'),
    type: CATALOGUE,
    expose: 'export',
    topRef: true,
    jsDoc: 'extended',
    skipTypeCheck: true,
    additionalProperties: false,
  });
  const { definitions } = generator.createSchema(CATALOGUE);
  const names = Object.keys(definitions[CATALOGUE].properties);
  const schemas = {};
  for (const name of Object.keys(definitions).sort()) {
    if (name === CATALOGUE) continue;
    const named = nameOf(name);
    if (!/^[A-Za-z0-9._-]+$/.test(named) || schemas[named]) throw new Error(`${name}: no unique OpenAPI name`);
    schemas[named] = tidy(await convert(toComponents(definitions[name]), { dereference: false }));
  }
  for (const name of Object.keys(schemas)) schemas[name] = typeNullables(schemas[name], schemas);
  for (const name of names) {
    if (!schemas[name]) throw new Error(`${name} has no schema of its own: export it as an alias`);
  }
  // Written as the repository's formatter writes it, so `npm run format:check` agrees.
  const options = await prettier.resolveConfig(TARGET);
  return prettier.format(JSON.stringify({ bodies: names, schemas }), { ...options, filepath: TARGET });
}

async function main() {
  const text = await generate();
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(TARGET, 'utf8');
    } catch {
      // missing: stale
    }
    if (current !== text) {
      console.error(`${path.relative(ROOT, TARGET)} is stale: run \`npm run openapi:schemas\` and commit it`);
      process.exit(1);
    }
    console.log(`${path.relative(ROOT, TARGET)} is up to date`);
    return;
  }
  writeFileSync(TARGET, text);
  console.log(`wrote ${path.relative(ROOT, TARGET)}`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
