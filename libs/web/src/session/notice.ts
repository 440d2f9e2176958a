import type { BoardRequest } from '../board.port';

/** A one-line confirmation shown once on the next page (post/redirect/get). */
export function setNotice(req: BoardRequest, text: string): void {
  req.session.notice = text;
}

export function takeNotice(req: BoardRequest): string | undefined {
  const text = req.session.notice;
  delete req.session.notice;
  return text;
}

/**
 * Read-your-writes: the position of this person's latest write, kept in their session. The next
 * page's reads of read models wait (briefly) until they have applied it, so a person always sees
 * what they have just done.
 */
export function rememberWrite(req: BoardRequest, outcome: { position?: string }): void {
  const position = outcome.position;
  if (position === undefined || !/^\d{1,19}$/.test(position)) return;
  const kept = req.session.lastWrite;
  if (kept === undefined || BigInt(position) > BigInt(kept)) req.session.lastWrite = position;
}
