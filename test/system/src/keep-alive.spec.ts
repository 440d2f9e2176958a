import http from 'node:http';
import { rmSync } from 'node:fs';
import { ApiFiles, ApiProcess, killHard, sleep, startApi, tempFiles } from './support/api-process';
import { request } from './support/http';

/*
 * A client pool (or a load balancer) reuses an idle connection. If the server closes idle
 * connections first, a request sent at that moment is lost with a reset: Node's default is to
 * close them after 5 s. The compiled API keeps them for 65 s, longer than the common 60 s idle
 * timeout of load balancers, so the connection a pool holds is still there when it is used.
 */
describe('idle keep-alive connections of the compiled API', () => {
  let files: ApiFiles;
  let api: ApiProcess | undefined;
  beforeAll(async () => {
    files = tempFiles('placement-system-keep-alive-');
    api = await startApi(files);
  });
  afterAll(async () => {
    if (api && api.child.exitCode === null && api.child.signalCode === null) await killHard(api);
    rmSync(files.dir, { recursive: true, force: true });
  });

  it('are still open after 6 s idle: the next request goes on the same connection and is answered', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    if (!api) throw new Error('the API did not start');
    const { baseUrl } = api;
    const sockets = new Set<unknown>();
    agent.on('free', (socket) => sockets.add(socket));
    try {
      const first = await request(baseUrl, 'GET', '/health/live', { agent });
      expect(first.status).toBe(200);
      // Longer than Node's default keep-alive timeout (5 s): with it, the server would have closed the socket.
      await sleep(6_000);
      const second = await request(baseUrl, 'GET', '/health/live', { agent });
      expect(second.status).toBe(200);
      // Both requests used one connection: the server had kept it open.
      expect(sockets.size).toBe(1);
    } finally {
      agent.destroy();
    }
  }, 60_000);
});
