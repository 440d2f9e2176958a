import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { openSqliteEventStore } from '@placement/event-store';
import { describeSpec, parseStoreSpec, register, runCopy } from './copy';
import { runCli } from '../testing/run-cli';

describe('copy command: store specs', () => {
  it('reads sqlite:<file> and esdb:<connection string>', () => {
    expect(parseStoreSpec('sqlite:./data/events.db')).toEqual({ kind: 'sqlite', path: './data/events.db' });
    expect(parseStoreSpec('esdb:esdb://db1:2113,db2:2113?tls=true')).toEqual({
      kind: 'esdb',
      connectionString: 'esdb://db1:2113,db2:2113?tls=true',
    });
  });

  it('refuses anything else without printing a password', () => {
    expect(() => parseStoreSpec('./events.db')).toThrow(/use sqlite:<file> or esdb:<connection string>/);
    expect(() => parseStoreSpec('postgres://admin:hunter2@db/x')).toThrow(/admin:\*\*\*@db/);
    expect(describeSpec('esdb:esdb://admin:hunter2@db:2113')).toBe('esdb:esdb://admin:***@db:2113');
  });
});

describe('copy command: sqlite → sqlite', () => {
  let dir: string;
  const lines: string[] = [];
  const io = { out: (line: string) => lines.push(`out: ${line}`), err: (line: string) => lines.push(`err: ${line}`) };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'placement-cli-copy-'));
    lines.length = 0;
    const source = await openSqliteEventStore({ path: join(dir, 'source.db') });
    const metadata = () => ({
      commandId: randomUUID(),
      correlationId: randomUUID(),
      causationId: randomUUID(),
      actor: { id: 'manager-1', role: 'residential-manager' },
    });
    for (let i = 0; i < 6; i += 1) {
      await source.append(`bed-setting-1.${i % 3}`, [
        { id: randomUUID(), type: 'BedAdded', data: { kind: 'residential', name: 'Child Name' }, metadata: metadata() },
      ]);
    }
    await source.close();
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('copies, verifies, prints the target head and never prints event data', async () => {
    const code = await runCopy(`sqlite:${join(dir, 'source.db')}`, `sqlite:${join(dir, 'target.db')}`, io);
    expect(code).toBe(0);
    expect(lines).toContainEqual(
      'out: copied 6 events in 3 streams: 6 written, 0 already there; target chains verified and every event ' +
        'matches the source',
    );
    expect(lines).toContainEqual(expect.stringMatching(/^out: target head \d+:[0-9a-f]{64} /));
    expect(lines.join('\n')).not.toContain('Child Name');

    lines.length = 0;
    expect(await runCopy(`sqlite:${join(dir, 'source.db')}`, `sqlite:${join(dir, 'target.db')}`, io)).toBe(0);
    expect(lines[lines.length - 2]).toBe(
      'out: copied 6 events in 3 streams: 0 written, 6 already there; target chains verified and every event ' +
        'matches the source',
    );
  });

  it('stops on a missing source file instead of copying an empty log', async () => {
    await expect(runCopy(`sqlite:${join(dir, 'typo.db')}`, `sqlite:${join(dir, 'target.db')}`, io)).rejects.toThrow(
      /typo\.db/,
    );
  });

  it('fails with one clear error, before copying anything, when the EventStoreDB target is unreachable', async () => {
    await expect(runCopy(`sqlite:${join(dir, 'source.db')}`, 'esdb:esdb://127.0.0.1:1?tls=false', io)).rejects.toThrow(
      /^Cannot reach EventStoreDB at esdb:\/\/127\.0\.0\.1:1\?tls=false/,
    );
    expect(lines).toEqual([]);
  });

  it('is registered as `copy --from --to` on a commander program', async () => {
    const program = new Command().exitOverride();
    register(program);
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await program.parseAsync([
        'node',
        'placement-cli',
        'copy',
        '--from',
        `sqlite:${join(dir, 'source.db')}`,
        '--to',
        `sqlite:${join(dir, 'copy.db')}`,
      ]);
      expect(process.exitCode).toBe(0);
      expect(stdout.mock.calls.map(([text]) => String(text)).join('')).toMatch(/copied 6 events/);
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
      process.exitCode = undefined;
    }
  });

  it('runs as `placement-cli copy` in its own process, and a second run writes nothing', () => {
    const cli = (...args: string[]) => runCli(args);
    const args = ['copy', '--from', `sqlite:${join(dir, 'source.db')}`, '--to', `sqlite:${join(dir, 'spawned.db')}`];
    const first = cli(...args);
    expect(first.stderr).toMatch(/copy: 6 events \(6 written, 0 already there\), position \d+ of \d+/);
    expect(first.stdout).toMatch(/^copied 6 events in 3 streams: 6 written, 0 already there; target chains verified/);
    expect(first.status).toBe(0);
    const second = cli(...args);
    expect(second.stdout).toMatch(/0 written, 6 already there/);
    expect(second.status).toBe(0);
    const verified = cli('verify', '--db', join(dir, 'spawned.db'));
    expect(verified.stdout).toMatch(/^intact: 6 events verified/);
    expect(verified.status).toBe(0);
  }, 60_000);
});
