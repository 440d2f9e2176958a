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
