import http from 'node:http';
import { aSetting } from '@placement/test-support';
import { expectCreated } from './support/fixtures';
import { startServer, TestServer, TOKENS } from './support/server';

/**
 * Issue 18 §3: the live streams over raw HTTP. Every event names its log position in `id:`; a
 * heartbeat is a comment (no `id:`, so it never moves a client's Last-Event-ID); a client that
 * reconnects with `Last-Event-ID` is sent what it missed first, flagged as a resumption.
 */
interface Block {
  event?: string;
  id?: string;
  comments: string[];
  data?: Record<string, unknown>;
}

/** A raw `GET` of an event stream: each block as sent, comments included. */
function openStream(server: TestServer, path: string, token: string, lastEventId?: string) {
  const url = new URL(path, server.baseUrl);
  const blocks: Block[] = [];
  const waiters: (() => void)[] = [];
  let buffered = '';
  const req = http.get(url, {
    headers: {
      authorization: `Bearer ${token}`,
      accept: 'text/event-stream',
      ...(lastEventId === undefined ? {} : { 'last-event-id': lastEventId }),
    },
  });
  const opened = new Promise<http.IncomingMessage>((resolve, reject) => {
    req.on('response', resolve);
    req.on('error', reject);
  });
  void opened.then((res) => {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buffered += chunk;
      for (let end = buffered.indexOf('\n\n'); end >= 0; end = buffered.indexOf('\n\n')) {
        const text = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        if (text.trim() === '') continue;
        const block: Block = { comments: [] };
        const data: string[] = [];
        for (const line of text.split('\n')) {
          if (line.startsWith(':')) block.comments.push(line.slice(1).trim());
          else if (line.startsWith('event: ')) block.event = line.slice(7);
          else if (line.startsWith('id: ')) block.id = line.slice(4);
          else if (line.startsWith('data: ')) data.push(line.slice(6));
        }
        if (data.length > 0) block.data = JSON.parse(data.join('\n')) as Record<string, unknown>;
        blocks.push(block);
      }
      waiters.splice(0).forEach((wake) => wake());
    });
  });
  let read = 0;
  return {
    opened,
    /** The next block that passes `want`, waiting up to `ms`. */
    async next(want: (b: Block) => boolean = () => true, ms = 5_000): Promise<Block> {
      const deadline = Date.now() + ms;
      for (;;) {
        while (read < blocks.length) {
          const block = blocks[read++];
          if (want(block)) return block;
        }
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no such block in ${ms} ms; saw ${JSON.stringify(blocks.slice(-3))}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
    blocks,
    close: () => req.destroy(),
  };
}

const isEvent = (type: string) => (b: Block) => b.event === type;
const bedsOf = (b: Block) => (b.data?.units as { beds: { settingId: string; bedId: string }[] }).beds;

describe('live streams: positions as ids, comment heartbeats, resumption with Last-Event-ID', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ SEED_DEMO_ESTATE: 'true', SSE_KEEP_ALIVE_SECONDS: '1' });
    await expectCreated(server, '/v1/settings', TOKENS.admin, aSetting({ settingId: 'stream-home' }));
  }, 120_000);
  afterAll(async () => {
    await server.close();
  });
  const addBed = (bedId: string) =>
    expectCreated(server, '/v1/settings/stream-home/beds', TOKENS.admin, { bedId, kind: 'residential', label: bedId });

  it('capacity: each event carries its position as id, heartbeats are comments with no id', async () => {
    const stream = openStream(server, '/v1/capacity/stream', TOKENS.placement);
    expect((await stream.opened).headers['content-type']).toContain('text/event-stream');
    const snapshot = await stream.next(isEvent('snapshot'));
    expect(snapshot.id).toMatch(/^\d+$/);
    expect(snapshot.id).toBe(snapshot.data?.position);
    const beat = await stream.next((b) => b.comments.length > 0, 3_000);
    expect(beat).toEqual({ comments: ['keep-alive'] });
    await addBed('b1');
    const delta = await stream.next(isEvent('delta'));
    expect(BigInt(delta.id ?? '0')).toBeGreaterThan(BigInt(snapshot.id ?? '0'));
    expect(delta.id).toBe(delta.data?.position);
    // Nothing but events carries an id: no heartbeat moved it.
    expect(stream.blocks.filter((b) => b.id !== undefined).every((b) => b.event !== undefined)).toBe(true);
    stream.close();
  });

  it('capacity: a reconnect with Last-Event-ID gets what it missed first (a delta, flagged) at the head', async () => {
    const first = openStream(server, '/v1/capacity/stream', TOKENS.placement);
    const seen = await first.next(isEvent('snapshot'));
    first.close();
    await addBed('b2');
    await addBed('b3');
    const again = openStream(server, '/v1/capacity/stream', TOKENS.placement, seen.id);
    const resumed = await again.next((b) => b.event !== undefined);
    // Only the units changed since that id, with the whole estate's totals: not the estate again.
    expect(resumed.event).toBe('delta');
    expect(resumed.data?.resumedAfter).toBe(seen.id);
    expect(BigInt(resumed.id ?? '0')).toBeGreaterThan(BigInt(seen.id ?? '0'));
    expect(resumed.id).toBe(resumed.data?.position);
    expect(bedsOf(resumed).map((b) => `${b.settingId}/${b.bedId}`)).toEqual(['stream-home/b2', 'stream-home/b3']);
    const residentialBeds = (b: Block) => (b.data?.totals as { residential: { beds: number } }).residential.beds;
    expect(residentialBeds(resumed)).toBe(residentialBeds(seen) + 2);
    again.close();
    // A Last-Event-ID that is not a position is a plain connect.
    const odd = openStream(server, '/v1/capacity/stream', TOKENS.placement, 'not-a-position');
    const plain = await odd.next(isEvent('snapshot'));
    expect(plain.data?.resumedAfter).toBeUndefined();
    odd.close();
  });

  it('alerts: ids, comment heartbeats and a flagged resumption', async () => {
    const stream = openStream(server, '/v1/alerts/stream', TOKENS.placement);
    const first = await stream.next(isEvent('alerts'));
    expect(first.id).toMatch(/^\d+$/);
    expect(first.id).toBe(first.data?.position);
    expect(await stream.next((b) => b.comments.length > 0, 3_000)).toEqual({ comments: ['keep-alive'] });
    stream.close();
    await expectCreated(server, '/v1/settings', TOKENS.admin, aSetting({ settingId: 'stream-home-2' }));
    const again = openStream(server, '/v1/alerts/stream', TOKENS.placement, first.id);
    const resumed = await again.next(isEvent('alerts'));
    expect(resumed.data?.resumedAfter).toBe(first.id);
    expect(BigInt(resumed.id ?? '0')).toBeGreaterThanOrEqual(BigInt(first.id ?? '0'));
    again.close();
  });
});
