import Ajv from 'ajv';

/**
 * Checks JSON bodies against the OpenAPI document's schemas (for tests: the examples the document
 * carries, and the bodies the live routes answer). OpenAPI 3.0 schemas are read as JSON Schema
 * with every object closed (`additionalProperties: false` unless the schema says otherwise), so a
 * field the document does not name is a failure, and `nullable` spelt as "or null".
 */
export function bodyValidator(schemas: Record<string, unknown>): (schema: string, body: unknown) => string[] {
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addSchema({ components: { schemas: closed(schemas) } }, 'openapi');
  return (schema, body) => {
    const validate = ajv.getSchema(`openapi#/components/schemas/${schema}`);
    if (!validate) return [`no schema named ${schema}`];
    if (validate(body)) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
  };
}

function closed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(closed);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) out[key] = key === 'example' ? inner : closed(inner);
  if (out['type'] === 'object' && out['properties'] && out['additionalProperties'] === undefined)
    out['additionalProperties'] = false;
  if (out['nullable'] === true) {
    const { nullable: _nullable, ...rest } = out;
    return { anyOf: [rest, { type: 'null' }] };
  }
  return out;
}
