/**
 * A second OS process for the sqlite two-process test: `node -r ./transpile-hook.js
 * sqlite-race-writer.ts <db> <label> <startAtEpochMs>`. At the start time it races the
 * other process for revision 1 of `bed-race` (25 attempts, all expecting revision 0),
 * then interleaves 100 appends with it on a shared stream; prints a JSON summary.
 */
import { randomUUID } from 'node:crypto';
import { WrongExpectedVersionError } from '../errors';
import { openSqliteEventStore } from '../sqlite';

async function main(): Promise<void> {
  const [path, label, startAt] = process.argv.slice(2);
  const store = await openSqliteEventStore({ path });
  const event = (type: string) => ({
    id: randomUUID(),
    type,
    data: { writer: label },
    metadata: {
      commandId: randomUUID(),
      correlationId: randomUUID(),
      causationId: randomUUID(),
      actor: { id: label, role: 'test' },
    },
  });
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAt) - Date.now())));
  const attempts = await Promise.allSettled(
    Array.from({ length: 25 }, () => store.append('bed-race', [event('BedHeld')], { expectedRevision: 0n })),
  );
  const won = attempts.filter((a) => a.status === 'fulfilled').length;
  const lost = attempts.filter((a) => a.status === 'rejected' && a.reason instanceof WrongExpectedVersionError).length;
  for (let i = 0; i < 100; i += 1) {
    await Promise.all([store.append('shared', [event('Shared')]), store.append(`own-${label}`, [event('Own')])]);
  }
  await store.close();
  process.stdout.write(JSON.stringify({ won, lost }));
}

main().catch((error: unknown) => {
  process.stderr.write(String(error));
  process.exit(1);
});
