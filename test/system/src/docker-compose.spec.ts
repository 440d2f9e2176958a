import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

/*
 * No Docker engine runs in CI here, so `docker compose config` and `docker build` cannot.
 * These tests read docker/compose.yaml and docker/Dockerfile as data and check what the
 * deployment depends on: pinned images, both profiles, volumes, health checks, the wiring
 * to EventStoreDB, a non-root runtime, and that the image runs what `npm start` runs.
 */
const root = path.resolve(__dirname, '../../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  profiles?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[]; interval?: string; retries?: number };
}
interface Compose {
  name?: string;
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
}

// Compose files may use YAML merge keys (`<<: *api`), which compose resolves.
const compose = parse(read('docker/compose.yaml'), { merge: true }) as Compose;
const service = (name: string): Service => {
  const found = compose.services[name];
  if (found === undefined) throw new Error(`compose.yaml has no service ${name}`);
  return found;
};

describe('docker/compose.yaml', () => {
  it('has EventStoreDB, an API wired to it, and an API on the embedded sqlite store', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['api-eventstoredb', 'api-sqlite', 'eventstoredb']);
  });

  it('pins the EventStoreDB image to a version, never latest', () => {
    const image = service('eventstoredb').image ?? '';
    expect(image).toMatch(
      /^(eventstore\/eventstore|docker\.kurrent\.io\/[\w-]+\/kurrentdb|kurrentplatform\/kurrentdb):\d+\.\d+(\.\d+)?(-[\w.]+)?$/,
    );
    expect(image).not.toMatch(/latest/);
  });

  it('puts each API in its own profile, EventStoreDB with its API', () => {
    expect(service('eventstoredb').profiles).toEqual(['eventstoredb']);
    expect(service('api-eventstoredb').profiles).toEqual(['eventstoredb']);
    expect(service('api-sqlite').profiles).toEqual(['sqlite']);
  });

  it('wires the API to EventStoreDB by service name and waits until it is healthy', () => {
    const api = service('api-eventstoredb');
    expect(api.environment?.['EVENT_STORE']).toBe('eventstoredb');
    const connection = new URL(api.environment?.['ESDB_CONNECTION_STRING'] ?? '');
    expect(connection.protocol).toBe('esdb:');
    expect(connection.hostname).toBe('eventstoredb');
    expect(connection.port).toBe('2113');
    expect(api.depends_on).toEqual({ eventstoredb: { condition: 'service_healthy' } });
  });

  it('uses insecure EventStoreDB only with tls=false on the local API, and publishes ports on localhost only', () => {
    expect(service('eventstoredb').environment?.['EVENTSTORE_INSECURE']).toBe('true');
    expect(service('api-eventstoredb').environment?.['ESDB_CONNECTION_STRING']).toContain('tls=false');
    for (const [name, s] of Object.entries(compose.services)) {
      for (const port of s.ports ?? []) expect(`${name} ${port}`).toMatch(/ 127\.0\.0\.1:/);
    }
  });

  it('raises the maximum append size above the 1 MiB events the contract suite writes', () => {
    expect(Number(service('eventstoredb').environment?.['EVENTSTORE_MAX_APPEND_SIZE'])).toBeGreaterThan(1024 * 1024);
  });

  it('configures the sqlite API on a volume for its event log and read models', () => {
    const api = service('api-sqlite');
    expect(api.environment?.['EVENT_STORE']).toBe('sqlite');
    const mount = (api.volumes ?? []).find((v) => v.endsWith(':/app/data'));
    expect(mount).toBeDefined();
    expect(api.environment?.['SQLITE_PATH']).toMatch(/^\/app\/data\//);
    expect(api.environment?.['READ_MODEL_PATH']).toMatch(/^\/app\/data\//);
  });

  it("passes the board's sign-in and session settings from the host to both APIs, each empty unless set", () => {
    const oidc = ['ISSUER', 'CLIENT_ID', 'CLIENT_SECRET', 'REDIRECT_URI', 'ROLE_CLAIM', 'SETTINGS_CLAIM'];
    for (const api of ['api-eventstoredb', 'api-sqlite'])
      for (const key of ['SESSION_SECRET', ...oidc.map((name) => `OIDC_${name}`)])
        expect(`${api} ${key}=${service(api).environment?.[key]}`).toBe(`${api} ${key}=\${${key}:-}`);
  });

  it('declares every named volume it mounts, and EventStoreDB keeps its data on one', () => {
    const named = Object.values(compose.services)
      .flatMap((s) => s.volumes ?? [])
      .map((v) => v.split(':')[0])
      .filter((source) => !source.startsWith('.') && !source.startsWith('/'));
    for (const volume of named) expect(Object.keys(compose.volumes)).toContain(volume);
    expect(service('eventstoredb').volumes).toContainEqual(expect.stringMatching(/:\/var\/lib\/eventstore$/));
  });

  it('health-checks every service', () => {
    expect(service('eventstoredb').healthcheck?.test.join(' ')).toMatch(/health\/live/);
    for (const api of ['api-eventstoredb', 'api-sqlite'])
      expect(service(api).healthcheck?.test.join(' ')).toMatch(/\/health/);
  });

  it('builds both APIs from docker/Dockerfile with the repository as context', () => {
    for (const api of ['api-eventstoredb', 'api-sqlite']) {
      const build = service(api).build;
      expect(build).toEqual({ context: '..', dockerfile: 'docker/Dockerfile' });
      expect(existsSync(path.resolve(root, 'docker', build?.context ?? '', build?.dockerfile ?? ''))).toBe(true);
    }
  });
});

describe('docker/Dockerfile', () => {
  const dockerfile = read('docker/Dockerfile').replace(/\\\n/g, ' ');
  const instructions = dockerfile
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const stages = instructions.reduce<string[][]>((all, line) => {
    if (/^FROM /i.test(line)) all.push([line]);
    else all.at(-1)?.push(line);
    return all;
  }, []);
  const runtime = stages.at(-1) ?? [];

  it('is multi-stage: a build stage runs npm ci and npm run build', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const build = stages.find((stage) => stage.some((line) => /^RUN .*npm run build/.test(line)));
    expect(build?.some((line) => /^RUN npm ci$/.test(line))).toBe(true);
    expect(build?.some((line) => /python3.*make.*g\+\+/.test(line))).toBe(true);
  });

  it('installs production dependencies only for the runtime', () => {
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    const stageName = (
      stages.find((stage) => stage.some((line) => line.includes('npm ci --omit=dev')))?.[0] ?? ''
    ).split(/\s+AS\s+/i)[1];
    expect(runtime.some((line) => line === `COPY --from=${stageName} /app/node_modules ./node_modules`)).toBe(true);
  });

  it('pins the Node base image to a version', () => {
    const arg = /ARG NODE_IMAGE=(\S+)/.exec(dockerfile)?.[1] ?? '';
    expect(arg).toMatch(/^node:20\.\d+/);
  });

  it('runs as a non-root user with a health check on /health', () => {
    const user = runtime.find((line) => line.startsWith('USER '));
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^USER (root|0)(:|$)/);
    expect(runtime.indexOf(user ?? '')).toBeLessThan(runtime.findIndex((line) => line.startsWith('CMD ')));
    expect(runtime.find((line) => line.startsWith('HEALTHCHECK '))).toMatch(/\/health/);
  });

  it("runs the artefact package.json's start script runs", () => {
    const start = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts['start'];
    const cmd = runtime.find((line) => line.startsWith('CMD '))?.slice(4) ?? '[]';
    expect(JSON.parse(cmd)).toEqual(start.split(/\s+/));
    // And what the command needs is in the image: the register hook and the compiled entry point.
    expect(runtime).toContain('COPY tools/register-paths.js ./tools/register-paths.js');
    expect(runtime).toContain('COPY --from=build /app/dist ./dist');
  });

  it('copies only paths that exist and that .dockerignore lets through, covering what tsconfig.build.json compiles', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
    const sources = instructions
      .filter((line) => /^COPY /.test(line) && !line.includes('--from='))
      .flatMap((line) => line.split(/\s+/).slice(1, -1));
    for (const source of sources) {
      expect(`${source} exists: ${existsSync(path.join(root, source))}`).toBe(`${source} exists: true`);
      expect(ignored).not.toContain(source.split('/')[0]);
    }
    const compiled = (JSON.parse(read('tsconfig.build.json')) as { include: string[] }).include.map(
      (glob) => glob.split('/*')[0],
    );
    for (const folder of compiled)
      expect(sources.some((source) => folder === source || folder.startsWith(`${source}/`))).toBe(true);
  });
});
