import { randomUUID } from 'node:crypto';

/** A form field as one string ('' when absent; the first when repeated). */
export function field(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0].trim() : '';
  return typeof value === 'string' ? value.trim() : '';
}

/** A repeated form field (checkboxes) as a list. */
export function fields(body: Record<string, unknown>, name: string): string[] {
  const value = body[name];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string' && v !== '');
  return typeof value === 'string' && value !== '' ? [value] : [];
}

/**
 * A GOV.UK date input (day, month, year fields) as a business date, YYYY-MM-DD. Whatever was
 * typed goes to the API as typed, so its validation names the field and the rule.
 */
export function dateField(body: Record<string, unknown>, name: string): string {
  const day = field(body, `${name}-day`);
  const month = field(body, `${name}-month`);
  const year = field(body, `${name}-year`);
  if (!day && !month && !year) return '';
  const pad = (v: string) => (/^\d$/.test(v) ? `0${v}` : v);
  return `${year}-${pad(month)}-${pad(day)}`;
}

/**
 * A date asked for in a page's address: `?name=YYYY-MM-DD`, or a GOV.UK date input's day, month
 * and year sent by a GET form (so it works without JavaScript); '' when not asked.
 */
export function dateQuery(query: Record<string, unknown>, name: string): string {
  const typed = dateField(query, name);
  if (typed) return typed;
  return field(query, name);
}

/** What was typed for a date, to show back in its date input beside its error. */
export function enteredDate(
  query: Record<string, unknown>,
  name: string,
  asked: string,
): { day: string; month: string; year: string } {
  const part = (p: string) => field(query, `${name}-${p}`);
  if (part('day') || part('month') || part('year'))
    return { day: part('day'), month: part('month'), year: part('year') };
  const [year = '', month = '', day = ''] = asked.split('-');
  return { day, month, year };
}

/** A date's parts for a GOV.UK date input's items. */
export function dateParts(date: string | undefined): { day: string; month: string; year: string } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date ?? '');
  return m ? { day: String(Number(m[3])), month: String(Number(m[2])), year: m[1] } : { day: '', month: '', year: '' };
}

/**
 * A new client-supplied id for a form, made when the form is shown and sent back in a hidden
 * field: sending the same form twice (a double click, a retry) is then one command, not two.
 */
export function newId(prefix: string): string {
  return `${prefix}-${randomUUID().replace(/-/g, '').slice(0, 16)}`;
}
