import type { BusinessDate } from '@placement/domain';
import type { ReadModelDb, SqlValue } from '../read-model-db';

/** One value of a row's sort key: lists are ordered by a tuple of these, the last one unique. */
export type KeyValue = string | number;

/** Keyset paging: the rows after `after` (a previous page's last key), at most `limit` of them. */
export interface PageRequest {
  readonly limit: number;
  readonly after: readonly KeyValue[] | null;
}

export interface Page<T> {
  /** The read model's checkpoint the page was read at. */
  readonly position: string;
  readonly items: readonly T[];
  /** The sort key of the last item when more rows follow it; null on the last page. */
  readonly nextAfter: readonly KeyValue[] | null;
}

/**
 * Who is asking, as far as a list is concerned: null lists everything; a residential
 * manager's scope names the homes they keep.
 */
export type ListScope = { readonly settingIds: readonly string[] } | null;

/** What a list of children's records is read with: today (London), the filters asked, and who asks. */
export interface ListOptions<Filter> {
  readonly today: BusinessDate;
  readonly filter: Filter;
  readonly scope: ListScope;
}

/** One SQL condition with its own parameters; a list's conditions are joined by AND. */
export interface Where {
  readonly sql: string;
  readonly params: readonly SqlValue[];
}

export interface KeysetQuery<Row> {
  /** `SELECT … FROM … [JOIN …]`, without WHERE or ORDER BY. */
  readonly select: string;
  /** Parameters of `select` itself (a join's conditions), before those of `where`. */
  readonly selectParams?: readonly SqlValue[];
  /** Conditions joined by AND, each with its own parameters. */
  readonly where: readonly Where[];
  /** The SQL expressions of the sort key, most significant first; the last one unique. */
  readonly keys: readonly string[];
  /** The sort key of a row as returned by `select`. */
  readonly keyOf: (row: Row) => readonly KeyValue[];
}

/**
 * Reads one page in key order. A row value comparison `(k1, k2) > (?, ?)` picks up exactly
 * after the previous page's last row, so paging never repeats or skips a row that stayed
 * in the list, however many rows were added or removed meanwhile.
 */
export function keysetPage<Row>(
  db: ReadModelDb,
  position: bigint,
  query: KeysetQuery<Row>,
  request: PageRequest,
): { readonly position: string; readonly rows: readonly Row[]; readonly nextAfter: readonly KeyValue[] | null } {
  if (request.after !== null && request.after.length !== query.keys.length)
    throw new RangeError(`a key of ${query.keys.length} values was expected`);
  const conditions = [...query.where];
  if (request.after !== null)
    conditions.push({
      sql: `(${query.keys.join(', ')}) > (${query.keys.map(() => '?').join(', ')})`,
      params: request.after,
    });
  const where = conditions.length > 0 ? ` WHERE ${conditions.map((c) => `(${c.sql})`).join(' AND ')}` : '';
  const sql = `${query.select}${where} ORDER BY ${query.keys.join(', ')} LIMIT ?`;
  const params = [...(query.selectParams ?? []), ...conditions.flatMap((c) => c.params), request.limit + 1];
  const rows = db.all<Row>(sql, ...params);
  const more = rows.length > request.limit;
  const page = more ? rows.slice(0, request.limit) : rows;
  return {
    position: position.toString(),
    rows: page,
    nextAfter: more && page.length > 0 ? query.keyOf(page[page.length - 1]) : null,
  };
}

/** One page of a list: the rows `keysetPage` reads, each as the list shows it. */
export function listPage<Row, Item>(
  db: ReadModelDb,
  position: bigint,
  query: KeysetQuery<Row>,
  request: PageRequest,
  toItem: (row: Row) => Item,
): Page<Item> {
  const page = keysetPage(db, position, query, request);
  return { position: page.position, nextAfter: page.nextAfter, items: page.rows.map(toItem) };
}

/** `column IN (the ids)` with one parameter, so the statement text does not vary with the count. */
export function inIds(column: string, ids: readonly string[]): Where {
  return { sql: `${column} IN (SELECT value FROM json_each(?))`, params: [JSON.stringify(ids)] };
}

/** `column IN (the scope's homes)`. */
export function inSettings(column: string, settingIds: readonly string[]): Where {
  return inIds(column, settingIds);
}

/** Rows meeting either condition: `a OR b`. */
export function either(a: Where, b: Where): Where {
  return { sql: `${a.sql} OR ${b.sql}`, params: [...a.params, ...b.params] };
}
