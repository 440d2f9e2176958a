import { Store, storage } from 'nestjs-pino/storage';
import { AppPinoLogger, createAppLogger, loggableCorrelationId, requestIdFor } from './logger';

function capture() {
  const lines: Record<string, unknown>[] = [];
  return { lines, write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) };
}

describe('the app logger', () => {
  it('removes authorization, cookies and bodies wherever a line would carry them', () => {
    const out = capture();
    createAppLogger('log', out).info({
      msg: 'careless',
      authorization: 'Bearer dev-admin',
      cookie: 'session=abc',
      body: { childName: 'Ellie' },
      headers: { authorization: 'Bearer x', cookie: 'sid=1', 'set-cookie': 'sid=2', accept: 'application/json' },
      req: { method: 'POST', body: { dateOfBirth: '2011-09-23' }, headers: { authorization: 'Bearer y' } },
      res: { headers: { 'set-cookie': 'sid=3' } },
    });
    expect(out.lines).toHaveLength(1);
    const { time, pid, hostname, ...rest } = out.lines[0];
    expect([typeof time, typeof pid, typeof hostname]).toEqual(['string', 'number', 'string']);
    expect(rest).toEqual({
      level: 'info',
      msg: 'careless',
      headers: { accept: 'application/json' },
      req: { method: 'POST', headers: {} },
      res: { headers: {} },
    });
  });

  it.each([
    ['verbose', ['trace', 'debug', 'info', 'warn', 'error', 'fatal']],
    ['debug', ['debug', 'info', 'warn', 'error', 'fatal']],
    ['log', ['info', 'warn', 'error', 'fatal']],
    ['warn', ['warn', 'error', 'fatal']],
    ['error', ['error', 'fatal']],
    ['fatal', ['fatal']],
  ] as const)('at LOG_LEVEL=%s writes %j', (level, written) => {
    const out = capture();
    const logger = createAppLogger(level, out);
    for (const method of ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const) logger[method]({ msg: method });
    expect(out.lines.map((line) => line['level'])).toEqual(written);
    expect(out.lines.map((line) => line['msg'])).toEqual(written);
  });

  it('writes nothing when turned off', () => {
    const out = capture();
    createAppLogger(false, out).fatal({ msg: 'x' });
    expect(out.lines).toEqual([]);
  });
});

describe('ids in the logs', () => {
  it('keeps a UUID or 16-64 hex digits as the request id, and replaces anything else', () => {
    expect(requestIdFor('3F1C2B9D-8E11-4F7B-9A7A-0B7E8A527D0E')).toBe('3F1C2B9D-8E11-4F7B-9A7A-0B7E8A527D0E');
    expect(requestIdFor('a3f9c0de51b24c7e')).toBe('a3f9c0de51b24c7e');
    for (const unsafe of [undefined, ['a', 'b'], '', 'Ellie-Smith', '2011-09-23', '20110923', 'a'.repeat(65)]) {
      expect(requestIdFor(unsafe)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });

  it('logs a correlation id that could spell a name as a stable digest', () => {
    expect(loggableCorrelationId('c0ffee00-1111-4222-8333-444455556666')).toBe('c0ffee00-1111-4222-8333-444455556666');
    const digest = loggableCorrelationId('Ellie.Smith');
    expect(digest).toMatch(/^sha256:[0-9a-f]{16}$/);
    expect(loggableCorrelationId('Ellie.Smith')).toBe(digest);
    expect(loggableCorrelationId('Ellie.Smyth')).not.toBe(digest);
  });
});

describe("AppPinoLogger (Nest's lines over one app's logger)", () => {
  it("writes outside a request to its own app's logger, even with another app's logger made first", () => {
    const first = capture();
    const second = capture();
    new AppPinoLogger(createAppLogger('log', first)).info({ msg: 'first app' });
    new AppPinoLogger(createAppLogger('log', second)).info({ msg: 'second app' });
    expect(first.lines.map((line) => line['msg'])).toEqual(['first app']);
    expect(second.lines.map((line) => line['msg'])).toEqual(['second app']);
  });

  it("writes inside a request to the request's logger, and assign reaches the request's own line", () => {
    const out = capture();
    const app = createAppLogger('log', out);
    const logger = new AppPinoLogger(app);
    const request = app.child({ requestId: 'r-1' });
    const response = app.child({ requestId: 'r-1' });
    storage.run(new Store(request, response), () => {
      logger.assign({ correlationId: 'c-1' });
      logger.warn({ msg: 'in the request' });
      response.info({ msg: 'request' });
    });
    expect(() => logger.assign({ correlationId: 'c-2' })).toThrow(/out of request scope/);
    expect(out.lines.map(({ msg, requestId, correlationId }) => ({ msg, requestId, correlationId }))).toEqual([
      { msg: 'in the request', requestId: 'r-1', correlationId: 'c-1' },
      { msg: 'request', requestId: 'r-1', correlationId: 'c-1' },
    ]);
  });
});
