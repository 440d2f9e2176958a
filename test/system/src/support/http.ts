import http from 'node:http';

export interface HttpResponse {
  status: number;
  contentType: string;
  body: unknown;
}

/** The request reached no answer: the connection failed, was cut, or timed out. */
export class NoResponse extends Error {
  constructor(readonly reason: string) {
    super(`no response: ${reason}`);
    this.name = 'NoResponse';
  }
}

/**
 * How long a request may go without a byte before it counts as unanswered: long enough to mean
 * the server is hung, not busy (200 clients on a shared machine queue for many seconds). A killed
 * server is seen at once, as a reset or refused connection, not by this timeout.
 */
export const HUNG_MS = 120_000;

export interface RequestOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  timeoutMs?: number;
  /** A keep-alive pool; without one each request opens its own connection. */
  agent?: http.Agent;
}

/**
 * A plain node:http client: unlike fetch it never retries a request by itself, and a
 * pool can be destroyed with the server it talked to.
 */
export function request(
  baseUrl: string,
  method: string,
  route: string,
  options: RequestOptions = {},
): Promise<HttpResponse> {
  const url = new URL(route, baseUrl);
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  if (payload !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(payload));
  }
  return new Promise<HttpResponse>((resolve, reject) => {
    const req = http.request(url, { method, headers, agent: options.agent ?? false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', (error) => reject(new NoResponse(error.message)));
      res.on('aborted', () => reject(new NoResponse('response aborted')));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const contentType = String(res.headers['content-type'] ?? '');
        let body: unknown = text;
        if (contentType.includes('json') && text.length > 0) {
          try {
            body = JSON.parse(text);
          } catch {
            reject(new NoResponse('truncated JSON body'));
            return;
          }
        }
        resolve({ status: res.statusCode ?? 0, contentType, body });
      });
    });
    req.setTimeout(options.timeoutMs ?? HUNG_MS, () => req.destroy(new Error('timeout')));
    req.on('error', (error) => reject(new NoResponse(error.message)));
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

export { ACTOR_OF_TOKEN, TOKENS } from '@placement/test-support';
