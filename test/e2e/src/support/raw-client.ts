import http from 'node:http';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  contentType: string;
  text: string;
}

export interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Resolve as soon as the status line and headers arrive, then drop the connection (SSE streams). */
  headersOnly?: boolean;
}

/**
 * A plain node:http client with keep-alive: thousands of fuzz cases reuse a few sockets, and
 * each client can speak from its own loopback address (127.0.0.x), which the server sees
 * as a different client (the failed-authentication limiter counts per address).
 */
export class RawClient {
  private readonly agent: http.Agent;
  private readonly host: string;
  private readonly port: number;

  constructor(
    baseUrl: string,
    private readonly localAddress?: string,
  ) {
    const url = new URL(baseUrl);
    this.host = url.hostname;
    this.port = Number(url.port);
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  }

  request(req: RawRequest, timeoutMs = 30_000): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = { ...req.headers };
      if (req.body !== undefined && headers['content-length'] === undefined)
        headers['content-length'] = String(Buffer.byteLength(req.body));
      const outgoing = http.request(
        {
          host: this.host,
          port: this.port,
          method: req.method,
          path: req.path,
          headers,
          agent: req.headersOnly ? false : this.agent,
          localAddress: this.localAddress,
        },
        (res) => {
          const base = {
            status: res.statusCode ?? 0,
            headers: res.headers,
            contentType: String(res.headers['content-type'] ?? ''),
          };
          if (req.headersOnly) {
            res.destroy();
            resolve({ ...base, text: '' });
            return;
          }
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ ...base, text: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      outgoing.setTimeout(timeoutMs, () =>
        outgoing.destroy(new Error(`${req.method} ${req.path}: no answer within ${timeoutMs} ms`)),
      );
      outgoing.on('error', reject);
      if (req.body !== undefined) outgoing.write(req.body);
      outgoing.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

export function json<T>(res: RawResponse): T {
  return JSON.parse(res.text) as T;
}
