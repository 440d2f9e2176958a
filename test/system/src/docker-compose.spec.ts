import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

/*
 * No Docker engine runs where this was written, so `docker build` cannot. These tests read
 * docker/compose.yaml, docker/Dockerfile and the EventStoreDB workflow as data and check what
 * the deployment depends on: the API as the default service, EventStoreDB behind a profile,
 * pinned images, volumes, health checks, the wiring to EventStoreDB, a non-root runtime, that
 * the image runs what `npm start` runs, and that the workflow tests the image compose pins.
 * Where the compose v2 CLI is installed, `docker compose config` itself is asked too.
 */
const root = path.resolve(__dirname, '../../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

interface Service {
  image?: string;
  restart?: string;
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
  it('has the API on SQLite, EventStoreDB, and an API wired to EventStoreDB', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['api', 'api-eventstoredb', 'eventstoredb']);
  });

  it('starts the API on SQLite by default, and EventStoreDB with its API only with --profile esdb', () => {
    const byDefault = Object.entries(compose.services).filter(([, s]) => (s.profiles ?? []).length === 0);
    expect(byDefault.map(([name]) => name)).toEqual(['api']);
    expect(service('eventstoredb').profiles).toEqual(['esdb']);
    expect(service('api-eventstoredb').profiles).toEqual(['esdb']);
  });

  it("keeps the default API's event log and read models on a named volume", () => {
    const api = service('api');
    expect(api.environment?.['EVENT_STORE']).toBe('sqlite');
    expect(api.volumes).toEqual(['sqlite-data:/app/data']);
    expect(Object.keys(compose.volumes)).toContain('sqlite-data');
    expect(api.environment?.['SQLITE_PATH']).toMatch(/^\/app\/data\//);
    expect(api.environment?.['READ_MODEL_PATH']).toMatch(/^\/app\/data\//);
  });

  it('pins the EventStoreDB image to a version, never latest', () => {
    const image = service('eventstoredb').image ?? '';
    expect(image).toMatch(
      new RegExp(
        String.raw`^(eventstore\/eventstore|docker\.kurrent\.io\/[\w-]+\/kurrentdb|kurrentplatform\/kurrentdb)` +
          String.raw`:\d+\.\d+(\.\d+)?(-[\w.]+)?$`,
      ),
    );
    expect(image).not.toMatch(/latest/);
  });

  it('wires the EventStoreDB API by service name, with the stream prefix, once EventStoreDB is healthy', () => {
    const api = service('api-eventstoredb');
    expect(api.environment?.['EVENT_STORE']).toBe('eventstoredb');
    const connection = new URL(api.environment?.['ESDB_CONNECTION_STRING'] ?? '');
    expect(connection.protocol).toBe('esdb:');
    expect(connection.hostname).toBe('eventstoredb');
    expect(connection.port).toBe('2113');
    expect(api.environment?.['ESDB_STREAM_PREFIX']).toBe('${ESDB_STREAM_PREFIX:-placement-}');
    expect(api.depends_on).toEqual({ eventstoredb: { condition: 'service_healthy' } });
  });

  it('uses insecure EventStoreDB only with tls=false, publishes on localhost only, never one port twice', () => {
    expect(service('eventstoredb').environment?.['EVENTSTORE_INSECURE']).toBe('true');
    expect(service('api-eventstoredb').environment?.['ESDB_CONNECTION_STRING']).toContain('tls=false');
    const hostPorts: string[] = [];
    for (const [name, s] of Object.entries(compose.services)) {
      for (const port of s.ports ?? []) {
        expect(`${name} ${port}`).toMatch(/ 127\.0\.0\.1:/);
        hostPorts.push(port.split(':').slice(0, 2).join(':'));
      }
    }
    // `--profile esdb up` runs all three at once.
    expect(new Set(hostPorts).size).toBe(hostPorts.length);
  });

  it('raises the maximum append size above the 1 MiB events the contract suite writes', () => {
    expect(Number(service('eventstoredb').environment?.['EVENTSTORE_MAX_APPEND_SIZE'])).toBeGreaterThan(1024 * 1024);
  });

  it("passes the board's sign-in and session settings from the host to both APIs, each empty unless set", () => {
    const oidc = ['ISSUER', 'CLIENT_ID', 'CLIENT_SECRET', 'REDIRECT_URI', 'ROLE_CLAIM', 'SETTINGS_CLAIM'];
    for (const api of ['api', 'api-eventstoredb'])
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

  it('health-checks every service; the APIs on liveness, so a projection catching up is not a sick container', () => {
    expect(service('eventstoredb').healthcheck?.test.join(' ')).toMatch(/health\/live/);
    for (const api of ['api', 'api-eventstoredb'])
      expect(service(api).healthcheck?.test.join(' ')).toMatch(/\/health\/live/);
  });

  it('builds both APIs from docker/Dockerfile with the repository as context', () => {
    for (const api of ['api', 'api-eventstoredb']) {
      const build = service(api).build;
      expect(build).toEqual({ context: '..', dockerfile: 'docker/Dockerfile' });
      expect(existsSync(path.resolve(root, 'docker', build?.context ?? '', build?.dockerfile ?? ''))).toBe(true);
    }
  });

  // Only where the compose v2 CLI exists (not where this was written: no compose plugin there).
  const composeCli = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' }).status === 0;
  (composeCli ? it : it.skip)(
    'docker compose config: only the API by default; EventStoreDB with --profile esdb',
    () => {
      const services = (...args: string[]) =>
        spawnSync('docker', ['compose', '-f', 'docker/compose.yaml', ...args, 'config', '--services'], {
          cwd: root,
          encoding: 'utf8',
        })
          .stdout.trim()
          .split('\n')
          .sort();
      expect(services()).toEqual(['api']);
      expect(services('--profile', 'esdb')).toEqual(['api', 'api-eventstoredb', 'eventstoredb']);
    },
  );
});

describe('.github/workflows/eventstoredb-contract.yml', () => {
  interface Workflow {
    on: Record<string, unknown>;
    jobs: Record<
      string,
      {
        services: Record<string, { image: string; env: Record<string, string>; options: string }>;
        steps: { uses?: string; run?: string; env?: Record<string, string> }[];
      }
    >;
  }
  const workflow = parse(read('.github/workflows/eventstoredb-contract.yml')) as Workflow;
  const job = workflow.jobs['contract'];

  it('starts the image compose pins, insecure, with the same append size, and waits until it is live', () => {
    const esdb = job.services['eventstoredb'];
    expect(esdb.image).toBe(service('eventstoredb').image);
    expect(esdb.env['EVENTSTORE_INSECURE']).toBe('true');
    expect(esdb.env['EVENTSTORE_MAX_APPEND_SIZE']).toBe(
      service('eventstoredb').environment?.['EVENTSTORE_MAX_APPEND_SIZE'],
    );
    expect(esdb.options).toMatch(/--health-cmd "curl -fsS http:\/\/localhost:2113\/health\/live/);
  });

  it("runs the store's contract suite with ESDB_CONNECTION_STRING set, and fails if it was skipped", () => {
    const contract = job.steps.find((step) => step.env?.['ESDB_CONNECTION_STRING'] !== undefined);
    expect(contract?.env?.['ESDB_CONNECTION_STRING']).toBe('esdb://localhost:2113?tls=false');
    expect(contract?.run).toMatch(
      /jest -c libs\/event-store\/jest\.config\.js eventstoredb .*--json --outputFile=(\S+)/,
    );
    const report = /--outputFile=(\S+)/.exec(contract?.run ?? '')?.[1];
    const check = job.steps.find((step) => step.run?.startsWith('node tools/check-esdb-contract-run.js'));
    expect(check?.run).toBe(`node tools/check-esdb-contract-run.js ${report}`);
    expect(existsSync(path.join(root, 'tools/check-esdb-contract-run.js'))).toBe(true);
    expect(Object.keys(workflow.on).sort()).toEqual(['pull_request', 'push', 'workflow_dispatch']);
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

  it('builds better-sqlite3 once: one npm ci, dev dependencies pruned after the build, for the runtime', () => {
    expect(instructions.filter((line) => /^RUN .*npm (ci|install)\b/.test(line))).toEqual(['RUN npm ci']);
    const build = stages.find((stage) => stage.some((line) => /^RUN .*npm run build/.test(line))) ?? [];
    const built = build.findIndex((line) => /^RUN .*npm run build/.test(line));
    const pruned = build.findIndex((line) => /^RUN npm prune --omit=dev/.test(line));
    expect(pruned).toBeGreaterThan(built);
    const stageName = (build[0] ?? '').split(/\s+AS\s+/i)[1];
    expect(runtime).toContain(`COPY --from=${stageName} /app/node_modules ./node_modules`);
    expect(runtime.some((line) => /python3|g\+\+|npm (ci|install)/.test(line))).toBe(false);
  });

  it("pins the Node base image to a version of the current LTS (Node 20's life ended on 2026-04-30)", () => {
    const arg = /ARG NODE_IMAGE=(\S+)/.exec(dockerfile)?.[1] ?? '';
    expect(arg).toMatch(/^node:(22|24)\.\d+(\.\d+)?-bookworm-slim$/);
    const engines = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node;
    expect(engines).toContain('>=22');
  });

  it('runs as a non-root user with a health check on /health/live', () => {
    const user = runtime.find((line) => line.startsWith('USER '));
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^USER (root|0)(:|$)/);
    expect(runtime.indexOf(user ?? '')).toBeLessThan(runtime.findIndex((line) => line.startsWith('CMD ')));
    expect(runtime.find((line) => line.startsWith('HEALTHCHECK '))).toMatch(/\/health\/live/);
  });

  it("runs the artefact package.json's start script runs", () => {
    const start = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts['start'];
    const cmd = runtime.find((line) => line.startsWith('CMD '))?.slice(4) ?? '[]';
    expect(JSON.parse(cmd)).toEqual(start.split(/\s+/));
    // And what the command needs is in the image: the register hook and the compiled entry point.
    expect(runtime).toContain('COPY tools/register-paths.js ./tools/register-paths.js');
    expect(runtime).toContain('COPY --from=build /app/dist ./dist');
  });

  it('copies only paths that exist and .dockerignore lets through, covering what tsconfig.build.json compiles', () => {
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
