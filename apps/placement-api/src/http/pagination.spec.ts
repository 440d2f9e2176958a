import type { Request, Response } from 'express';
import { Pager } from './pagination';
import { RequestValidationException } from './validation';

const req = { baseUrl: '/v1', path: '/capacity' } as Request;
const KEY = ['number', 'string', 'string'] as const;

function answer(): { res: Response; headers: Map<string, string> } {
  const headers = new Map<string, string>();
  return {
    res: { setHeader: (name: string, value: string) => headers.set(name, value) } as unknown as Response,
    headers,
  };
}
const cursorOf = (next: string | null) => new URL(next ?? '', 'http://x').searchParams.get('cursor') ?? undefined;

describe('Pager', () => {
  it('carries the sort key and the filters in the next link, and reads the key back from its cursor', () => {
    const first = Pager.of(req, 'capacity', { kind: 'foster-household', on: undefined }, { limit: 5 }, KEY);
    expect(first.request).toEqual({ limit: 5, after: null });
    const { res, headers } = answer();
    const next = first.next(res, [1, 'fh-7', '']);
    expect(next).toMatch(/^\/v1\/capacity\?kind=foster-household&limit=5&cursor=[A-Za-z0-9_-]+$/);
    expect(headers.get('Link')).toBe(`<${next}>; rel="next"`);
    const second = Pager.of(req, 'capacity', { kind: 'foster-household' }, { limit: 5, cursor: cursorOf(next) }, KEY);
    expect(second.request.after).toEqual([1, 'fh-7', '']);
    expect(first.next(answer().res, null)).toBeNull();
  });

  it('refuses a cursor made for other filters, another list or another key shape, naming the cursor', () => {
    const next = Pager.of(req, 'capacity', { kind: 'foster-household' }, {}, KEY).next(answer().res, [1, 'a', '']);
    const refused = (list: string, filters: Record<string, string>, keyTypes: readonly ('string' | 'number')[]) => {
      try {
        Pager.of(req, list, filters, { cursor: cursorOf(next) }, keyTypes);
        return null;
      } catch (error) {
        return error instanceof RequestValidationException ? error.violations : error;
      }
    };
    for (const attempt of [
      refused('capacity', { kind: 'residential-bed' }, KEY),
      refused('matches:ref-1', { kind: 'foster-household' }, KEY),
      refused('capacity', { kind: 'foster-household' }, ['string', 'number']),
    ])
      expect(attempt).toEqual([expect.objectContaining({ field: 'cursor', rule: 'isCursor' })]);
  });
});
