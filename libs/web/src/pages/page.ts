import type { Response } from 'express';
import type nunjucks from 'nunjucks';
import type { BoardProblem, BoardRequest, Viewer, ViewerRole } from '../board.port';
import { exclusionsInWords } from '../referrals/overrides';
import { CSRF_FIELD } from '../session/csrf';

interface NavItem {
  readonly href: string;
  readonly text: string;
  readonly roles: readonly ViewerRole[] | 'all';
}

/** The service navigation: each role sees the pages of its work. */
const NAV: readonly NavItem[] = [
  { href: '/', text: 'Capacity', roles: 'all' },
  { href: '/work-queue', text: 'Work queue', roles: 'all' },
  { href: '/referrals', text: 'Referrals', roles: ['placement-officer', 'admin'] },
  { href: '/homes', text: 'My homes', roles: ['residential-manager'] },
  { href: '/sufficiency', text: 'Sufficiency', roles: ['placement-officer', 'auditor', 'admin'] },
  { href: '/audit', text: 'Audit', roles: ['auditor', 'admin'] },
];

export const ROLE_NAMES: Record<ViewerRole, string> = {
  'placement-officer': 'Placement officer',
  'residential-manager': 'Residential manager',
  auditor: 'Auditor',
  admin: 'Administrator',
};

export function navFor(viewer: Viewer | undefined, path: string) {
  if (!viewer) return [];
  return NAV.filter((item) => item.roles === 'all' || item.roles.includes(viewer.role)).map((item) => ({
    href: item.href,
    text: item.text,
    active: item.href === '/' ? path === '/' : path.startsWith(item.href),
  }));
}

/** A refusal as the GOV.UK error summary lists it: each field's message linking to its input. */
export function errorList(problem: BoardProblem, fieldIds: Record<string, string> = {}) {
  if (problem.errors && problem.errors.length > 0)
    return problem.errors.map((e) => ({ text: plainMessage(e.message), href: `#${fieldIds[e.field] ?? e.field}` }));
  return [{ text: ruleMessage(problem) }];
}

/** The API's field messages start with the field's path; a person reads the sentence after it. */
function plainMessage(message: string): string {
  const text = message.replace(/^[a-zA-Z0-9_.[\]]+ (must|should)/, (_, verb: string) => `This ${verb}`);
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The rule codes in plain English; the code itself stays on the page for the record. */
const RULES: Record<string, string> = {
  MATCHING_REQUIRED:
    'A planned residential placement needs a matching meeting that decided "matched" and assessed every child ' +
    'living there on the start date',
  BED_NOT_VACANT: 'That bed is no longer free: someone else has taken or held it',
  BED_OCCUPIED: 'That bed is occupied',
  BED_IN_USE: 'That bed is in use',
  OUTSIDE_REGISTRATION: "The home's registration does not allow this child (age, sex or number of children)",
  APPROVAL_TERMS_EXCEEDED: "The foster household's approval terms do not allow this child",
  HOUSEHOLD_NOT_AVAILABLE: 'The foster household is not available (suspended or resigned)',
  HOUSEHOLD_FULL: 'The foster household has no free place',
  IMPACT_UNACCEPTABLE: 'The impact on a child living there was assessed as unacceptable',
  SAFETY_PLAN_REQUIRED: 'A step-down needs a safety plan: a summary, a review date, an agreed contingency and a lead',
  SETTING_CLOSED: 'The home is closed',
  REFERRAL_NOT_OPEN: 'The referral is no longer open',
  STEP_DOWN_NOT_ACTIVE: 'The step-down is no longer planned',
  HOLD_NOT_FOUND: 'There is no hold to release',
  OVERLAPPING_PLACEMENT: "The dates overlap another of the child's placements",
  ID_IN_USE: 'This was already recorded with different details; reload the page and start again',
  CONCURRENT_UPDATE: 'Someone else changed the same record first; reload the page and try again',
  INVALID_DATES: 'The dates are not possible',
  INVALID_STATE: 'The record is not in a state that allows this',
  NOT_FOUND: 'Not found',
  EXCLUDED_BY_MATCHING:
    'The matching engine excludes this unit for a reason that binds, and no matched meeting about it overrode it',
  OVERRIDE_NOT_ALLOWED: 'The law allows no exception for this exclusion: no meeting can override it',
};

export function ruleMessage(problem: BoardProblem): string {
  const plain = problem.code ? RULES[problem.code] : undefined;
  if (plain && problem.exclusions && problem.exclusions.length > 0)
    return `${plain}: ${exclusionsInWords(problem.exclusions)} (${problem.code}).`;
  if (plain) return `${plain} (${problem.code}).`;
  return problem.detail ?? problem.title;
}

/** Renders a page with what every page needs: who is signed in, the navigation, the CSRF token and the CSP nonce. */
export function renderPage(
  views: nunjucks.Environment,
  req: BoardRequest,
  res: Response,
  template: string,
  context: Record<string, unknown> = {},
  status = 200,
): void {
  const viewer = req.session?.viewer;
  const html = views.render(template, {
    ...context,
    viewer,
    roleName: viewer ? ROLE_NAMES[viewer.role] : undefined,
    nav: navFor(viewer, req.path),
    csrfField: CSRF_FIELD,
    csrfToken: req.session ? (req.csrfToken?.() ?? '') : '',
    cspNonce: res.locals['cspNonce'] as string | undefined,
  });
  res.status(status).type('html').setHeader('Cache-Control', 'no-store');
  res.send(html);
}
