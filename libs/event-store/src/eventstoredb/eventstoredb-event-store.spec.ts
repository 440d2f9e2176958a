import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { describeEventStoreContract } from '../testing';
import { StoreUnavailableError } from '../errors';
import type { EventStore } from '../port';
import { openEventStoreDbEventStore } from './eventstoredb-event-store';

/*
 * The shared contract runs only against a live EventStoreDB (ESDB_CONNECTION_STRING,
 * e.g. esdb://localhost:2113?tls=false from docker/compose.yaml). Without one, every
 * contract case is declared under describe.skip so jest reports them as skipped, not passed.
 */
const connectionString = process.env['ESDB_CONNECTION_STRING'];
const contract = connectionString ? describe : describe.skip;

contract(`eventstoredb adapter against ${connectionString ? 'a live server' : 'no server (set ESDB_CONNECTION_STRING to run)'}`, () => {
  describeEventStoreContract(
    'eventstoredb',
    async () => {
      // A namespace per case: the server is shared and cannot be wiped between cases.
      const namespace = `contract-${randomUUID().slice(0, 8)}:`;
      const open = () => openEventStoreDbEventStore({ connectionString: connectionString ?? '', namespace });
      const opened: EventStore[] = [await open()];
      return {
        store: opened[0],
        reopen: async () => {
          const again = await open();
          opened.push(again);
          return again;
        },
        // ESDB's log is append-only from a client's side: no tamper hooks, those cases are skipped.
        cleanup: async () => {
          await Promise.all(opened.map((store) => store.close()));
        },
      };
    },
    { reopen: true, tamperHooks: [] },
  );
});

// Nothing listens on port 1 here, so these run on every machine.
const unreachable = 'esdb://127.0.0.1:1?tls=false';

describe('eventstoredb adapter start-up', () => {
  it('fails fast with one clear error when the server is unreachable', async () => {
    const started = Date.now();
    const failure = await openEventStoreDbEventStore({ connectionString: unreachable, connectTimeoutMs: 3_000 }).then(
      () => new Error('expected start-up to fail'),
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(StoreUnavailableError);
    expect((failure as Error).message).toMatch(/^Cannot reach EventStoreDB at esdb:\/\/127\.0\.0\.1:1\?tls=false: /);
    expect(Date.now() - started).toBeLessThan(3_500);
  });

  it('rejects a malformed connection string without echoing its password', async () => {
    const failure = await openEventStoreDbEventStore({ connectionString: 'esdb://admin:hunter2@:2113?tls=maybe' }).then(
      () => new Error('expected start-up to fail'),
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(StoreUnavailableError);
    expect((failure as Error).message).toMatch(/not a valid EventStoreDB connection string/);
    expect((failure as Error).message).not.toContain('hunter2');
  });

  it('lets the process exit after a failed start-up: no gRPC handle is left behind', () => {
    // A separate node process that loads this adapter from source, fails to connect and
    // then has nothing left to do: it must exit on its own, not hang on an open channel.
    const script = `
      const ts = require('typescript'); const fs = require('node:fs');
      require.extensions['.ts'] = (module, file) => module._compile(ts.transpileModule(fs.readFileSync(file, 'utf8'),
        { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText, file);
      const { openEventStoreDbEventStore } = require(${JSON.stringify(path.join(__dirname, 'eventstoredb-event-store.ts'))});
      openEventStoreDbEventStore({ connectionString: ${JSON.stringify(unreachable)}, connectTimeoutMs: 2000 })
        .then(() => { console.log('connected?'); process.exitCode = 2; }, (error) => console.log('failed: ' + error.name));
    `;
    const started = Date.now();
    const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 15_000 });
    expect(child.error).toBeUndefined(); // spawnSync sets ETIMEDOUT here if the process hung
    expect(child.stdout.trim()).toBe('failed: StoreUnavailableError');
    expect(child.status).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 20_000);
});
