import Database from 'better-sqlite3';
import http from 'node:http';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { Prng, seedFrom } from '@placement/test-support';
import {
  ApiFiles,
  ApiProcess,
  cli,
  dumpReadModels,
  killHard,
  projectOnce,
  ReadModelDump,
  sleep,
  startApi,
  startProjector,
  tempFiles,
} from './support/api-process';
import { CommandDriver } from './support/driver';
import { buildEstate } from './support/estate';
import {
  acknowledgedExactlyOnce,
  capacityAtEveryPosition,
  readLog,
  referralsAgree,
  rejectedLeftNoRecord,
  unitsAgree,
} from './support/log-checks';

/*
 * Crash safety (issue 9, item 1). The real API runs in a child process on a temp sqlite file;
 * a driver sends referrals, holds, placements, ends and step-downs, and the process is killed
 * with SIGKILL at seeded random moments. After each kill: every acknowledged command is in the
 * log exactly once and the log verifies; after each restart (the start-up reconciler has run by
 * the time /health answers): no unit is half-taken, no referral is left open for a child placed
 * under it and no bed held for one; every command left unanswered by the kill is
 * retried with the same ids and ends up applied exactly once. The projections runner follows the
 * log in its own process and is killed with the API; resumed from its checkpoints, its read
 * models equal a clean rebuild.
 *
 * CRASH_KILLS (default 5) sets the number of kills; CRASH_SEED reproduces a run.
 */
const KILLS = Number(process.env['CRASH_KILLS'] ?? 5);
const SEED = seedFrom('CRASH_SEED');
const WORKERS = 6;

interface KillFigures {
  kill: number;
  afterAcks: number;
  acknowledgedThisLife: number;
  acknowledgedTotal: number;
  foundAfterKill: number;
  unanswered: number;
  retriedAcknowledged: number;
  retriedRejected: string[];
  events: number;
  readModelRows: number;
  logAtKill: number;
  runnerAtKill: string;
}

/** Only bounds a wait that never ends: reaching it means the API's projections are hung. */
const HUNG_MS = 120_000;

/** The API's own read models (READ_MODEL_PATH) once every projection has applied `head`. */
async function apiReadModelsAtHead(files: ApiFiles, head: string): Promise<ReadModelDump> {
  if (!existsSync(files.readModelPath)) throw new Error(`the API wrote no read models at ${files.readModelPath}`);
  const hungAt = Date.now() + HUNG_MS;
  for (;;) {
    const dump = dumpReadModels(files.sqlitePath, files.readModelPath);
    if (dump.status.length > 0 && dump.status.every((s) => s.position === head)) return dump;
    if (Date.now() > hungAt) {
      expect(dump.status.map((s) => [s.name, s.position])).toEqual(dump.status.map((s) => [s.name, head]));
      throw new Error(`the API's read models have no projections: ${JSON.stringify(dump.status)}`);
    }
    await sleep(100);
  }
}

/** The lowest checkpoint of the killed runner's read models: how far it had got. */
function projectionCheckpoint(readModelPath: string): string {
  try {
    const db = new Database(readModelPath, { readonly: true, fileMustExist: true });
    try {
      const row = db.prepare('SELECT min(position) AS position FROM projection_checkpoints').get() as
        { position: number | null } | undefined;
      return String(row?.position ?? 'none');
    } finally {
      db.close();
    }
  } catch {
    return 'no read models yet';
  }
}

describe(`crash safety: ${KILLS} SIGKILLs at random points (CRASH_SEED=${SEED})`, () => {
  let files: ApiFiles;
  let api: ApiProcess | undefined;
  let projector: ChildProcess | undefined;

  let runnerReadModels: string;

  beforeAll(() => {
    files = tempFiles('crash');
    runnerReadModels = path.join(files.dir, 'runner-read-models.db');
    process.stdout.write(`crash.spec: CRASH_SEED=${SEED} CRASH_KILLS=${KILLS} files in ${files.dir}\n`);
  });
  afterAll(async () => {
    projector?.kill('SIGKILL');
    if (api) await killHard(api);
    if (!process.env['KEEP_FILES']) rmSync(files.dir, { recursive: true, force: true });
  });

  it(
    'keeps every acknowledged command exactly once, verifies, repairs half-taken units and applies retries once',
    async () => {
      expect(Number.isInteger(KILLS) && KILLS >= 1).toBe(true);
      const prng = new Prng(SEED);
      api = await startApi(files);
      const estate = await buildEstate(api.baseUrl, { settings: 3, bedsPerSetting: 4, households: 6, householdMax: 2 });
      const driver = new CommandDriver(prng, estate, `s${SEED}`);
      projector = await startProjector(files, runnerReadModels);
      const figures: KillFigures[] = [];

      for (let kill = 1; kill <= KILLS; kill++) {
        const ackedBefore = driver.acknowledged.length;
        const agent = new http.Agent({ keepAlive: true, maxSockets: WORKERS });
        let stopped = false;
        const running = api;
        const driving = driver.drive(running.baseUrl, kill, WORKERS, () => stopped, agent);
        // Let the load build, then kill after a seeded random number of acknowledgements (waited
        // for, not timed), while the other clients' commands are in flight.
        const afterAcks = prng.int(3, 40);
        await driver.until(() => driver.acknowledged.length >= ackedBefore + afterAcks);
        projector?.kill('SIGKILL');
        await killHard(running);
        stopped = true;
        await driving;
        agent.destroy();
        api = undefined;

        // The process is dead: read its file with the real adapter, and verify with the operator CLI.
        const dead = await readLog(files.sqlitePath);
        expect(dead.verify).toEqual(expect.objectContaining({ ok: true }));
        const verified = cli('verify', '--db', files.sqlitePath);
        expect({ status: verified.status, stderr: verified.stderr }).toEqual({ status: 0, stderr: '' });
        expect(verified.stdout).toMatch(/^intact: \d+ events? verified/);
        const lostOrDoubled = acknowledgedExactlyOnce(dead.events, driver.acknowledged);
        expect(lostOrDoubled).toEqual([]);
        expect(capacityAtEveryPosition(dead.events)).toEqual([]);
        const runnerAtKill = projectionCheckpoint(runnerReadModels);
        const unanswered = driver.unanswered.length;

        // Restart: healthy means the start-up reconciler has finished; nothing is in flight.
        api = await startApi(files);
        const restarted = await readLog(files.sqlitePath);
        expect(unitsAgree(restarted.events)).toEqual([]);
        // No referral left open for a child placed under it, and no bed held for one.
        expect(referralsAgree(restarted.events)).toEqual([]);

        // Every command the kill left unanswered, resent with the same ids and key.
        const retries = await driver.retryUnanswered(api.baseUrl, kill);
        const afterRetries = await readLog(files.sqlitePath);
        expect(afterRetries.verify).toEqual(expect.objectContaining({ ok: true }));
        expect(acknowledgedExactlyOnce(afterRetries.events, driver.acknowledged)).toEqual([]);
        expect(unitsAgree(afterRetries.events)).toEqual([]);
        expect(referralsAgree(afterRetries.events, { holds: false })).toEqual([]);
        expect(capacityAtEveryPosition(afterRetries.events)).toEqual([]);
        // A refusal (first attempt or retry) is only acceptable from a command that left nothing standing.
        expect(rejectedLeftNoRecord(afterRetries.events, driver.rejected)).toEqual([]);
        expect(driver.tally.contractBreaks).toEqual([]);

        // Read models: the killed runner's, resumed from its checkpoints, equal a clean rebuild.
        const resumed = projectOnce(files.sqlitePath, runnerReadModels);
        const rebuilt = projectOnce(files.sqlitePath, path.join(files.dir, `rebuild-${kill}.db`));
        for (const dump of [resumed, rebuilt]) {
          expect(dump.caughtUp).toBe(true);
          expect(dump.status.map((p) => [p.name, p.position, p.error])).toEqual(
            dump.status.map((p) => [p.name, dump.head, null]),
          );
        }
        expect(resumed.head).toBe(String(afterRetries.events.length - 1));
        expect(resumed.tables).toEqual(rebuilt.tables);
        const readModelRows = Object.values(resumed.tables).reduce((n, rows) => n + rows.length, 0);
        // The API keeps read models itself (READ_MODEL_PATH): they must equal the rebuild too.
        const apiReadModels = await apiReadModelsAtHead(files, rebuilt.head);
        expect(apiReadModels.tables).toEqual(rebuilt.tables);
        projector = await startProjector(files, runnerReadModels);

        figures.push({
          kill,
          afterAcks,
          acknowledgedThisLife: driver.acknowledged.filter((a) => a.epoch === kill && !a.retried).length,
          acknowledgedTotal: ackedBefore + driver.acknowledged.filter((a) => a.epoch === kill && !a.retried).length,
          foundAfterKill:
            new Set(
              driver.acknowledged
                .filter((a) => a.epoch <= kill && !(a.epoch === kill && a.retried))
                .map((a) => a.commandId),
            ).size - lostOrDoubled.length,
          logAtKill: dead.events.length,
          runnerAtKill,
          unanswered,
          retriedAcknowledged: retries.filter((r) => r.answer.outcome === 'acknowledged').length,
          retriedRejected: retries
            .filter((r) => r.answer.outcome === 'rejected')
            .map((r) => `${r.command.label}:${r.answer.status}:${r.answer.code}`),
          events: afterRetries.events.length,
          readModelRows,
        });
      }

      const total = driver.acknowledged.length;
      const finalLog = await readLog(files.sqlitePath);
      const commandIds = new Set(finalLog.events.map((e) => e.metadata.commandId));
      const repairs = finalLog.events.filter((e) => e.metadata.commandId.startsWith('reconcile:')).map((e) => e.type);
      const repairCounts = repairs.reduce((m, t) => m.set(t, (m.get(t) ?? 0) + 1), new Map<string, number>());
      const retakes = [...commandIds].filter((id) => id.includes(':retake:')).length;
      process.stdout.write(
        [
          `crash.spec figures (CRASH_SEED=${SEED}, ${KILLS} kills, ${WORKERS} concurrent clients):`,
          ...figures.map(
            (f) =>
              `  kill ${f.kill} after ${f.afterAcks} acknowledgements: ` +
              `${f.acknowledgedThisLife} acknowledged in this life, ` +
              `${f.foundAfterKill}/${f.acknowledgedTotal} acknowledged commands found exactly once after the kill; ` +
              `${f.unanswered} unanswered → retried: ${f.retriedAcknowledged} acknowledged, ` +
              `${f.retriedRejected.length} refused ${JSON.stringify(f.retriedRejected)}; log ${f.events} events; ` +
              `runner killed at checkpoint ${f.runnerAtKill} of ${f.logAtKill - 1}, ` +
              `resumed = rebuilt (${f.readModelRows} rows)`,
          ),
          `  read models: the runner in its own process, killed with the API, resumed = rebuilt after every kill; ` +
            `the API's own READ_MODEL_PATH also equal to the rebuild after every kill`,
          `  start-up reconciler repairs: ${repairs.length} (${JSON.stringify(Object.fromEntries(repairCounts))}); ` +
            `retried commands whose undone take was taken afresh: ${retakes}`,
          `  total: sent ${driver.tally.sent}, acknowledged ${total} (all found exactly once after every kill), ` +
            `statuses ${JSON.stringify([...driver.tally.byStatus])}, codes ${JSON.stringify([...driver.tally.byCode])}`,
          '',
        ].join('\n'),
      );
    },
    120_000 + KILLS * 60_000,
  );
});
