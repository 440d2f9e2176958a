/*
 * Every problem the e2e suite is answered with must be one the OpenAPI document promises for that
 * operation: its status, and its `code` among the codes the document lists for that status. The
 * document is the contract a council's developers build against (README, "The API contract"), and the
 * e2e suite drives every rule: so a rule code a route can answer that its operation does not name fails
 * the spec file that saw it (see `after-each-file.ts`).
 */
interface ProblemResponse {
  content?: Record<string, { schema?: { allOf?: { properties?: { code?: { enum?: string[] } } }[] } }>;
}
interface Operation {
  responses?: Record<string, ProblemResponse>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
}

const documents = new Map<string, Promise<Document | null>>();
const undocumented = new Set<string>();

/** What the suite was answered with that the document does not say (one line each). */
export function undocumentedProblems(): string[] {
  return [...undocumented].sort();
}

/** Notes a problem+json answer to `method path` on the server at `baseUrl`. */
export async function noteProblem(
  baseUrl: string,
  method: string,
  path: string,
  status: number,
  body: unknown,
): Promise<void> {
  if (!path.startsWith('/v1/') || status >= 500) return;
  const document = await documentOf(baseUrl);
  if (document === null) return;
  const found = operationOf(document, method.toLowerCase(), path.split('?')[0] ?? path);
  if (found === undefined) return; // routes ↔ document is its own test (openapi.spec)
  const code = typeof body === 'object' && body !== null ? (body as { code?: unknown }).code : undefined;
  const response = found.operation.responses?.[String(status)];
  const where = `${method.toUpperCase()} ${found.template}`;
  if (response === undefined) {
    undocumented.add(`${where} answered ${status}${typeof code === 'string' ? ` ${code}` : ''}: status not documented`);
    return;
  }
  if (typeof code !== 'string') return;
  const schema = response.content?.['application/problem+json']?.schema;
  const codes = schema?.allOf?.flatMap((part) => part.properties?.code?.enum ?? []) ?? [];
  if (!codes.includes(code)) undocumented.add(`${where} answered ${status} ${code}: code not documented`);
}

function documentOf(baseUrl: string): Promise<Document | null> {
  let document = documents.get(baseUrl);
  if (document === undefined) {
    document = fetch(`${baseUrl}/docs/openapi.json`)
      .then(async (res) => (res.ok ? ((await res.json()) as Document) : null))
      .catch(() => null);
    documents.set(baseUrl, document);
  }
  return document;
}

function operationOf(
  document: Document,
  method: string,
  path: string,
): { template: string; operation: Operation } | undefined {
  // A fixed segment wins over a parameter (`/v1/alerts/stream` before `/v1/alerts/{id}`).
  const params = (template: string) => template.split('{').length;
  const templates = Object.entries(document.paths).sort(([a], [b]) => params(a) - params(b));
  for (const [template, item] of templates) {
    const operation = item[method];
    if (operation === undefined) continue;
    const pattern = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);
    if (pattern.test(path)) return { template, operation };
  }
  return undefined;
}
