import type { Request, Response } from 'express';

/** RFC 9457 problem details. `errors` lists field-level violations for 400s. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  code?: string;
  errors?: FieldViolation[];
  [extension: string]: unknown;
}

export interface FieldViolation {
  /** Dotted path of the offending field, e.g. `needs.risksToOthers[0]`. */
  field: string;
  /** The rule it broke, e.g. `isIn`, `whitelistValidation`, `maxLength`. */
  rule: string;
  message: string;
}

const TYPE_BASE = 'https://placement-engine.example/problems/';

export function problemType(slug: string): string {
  return `${TYPE_BASE}${slug}`;
}

/** The problem's `instance`: the path of the request it answers (never the query string, which may carry ids). */
export function instanceOf(req: Request): string {
  return (req.originalUrl ?? req.url).split('?')[0];
}

export function sendProblem(res: Response, problem: ProblemDetails): void {
  res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
}
