/**
 * Domain errors carry a stable `code`; the HTTP edge maps `kind` to a status:
 * conflict → 409 (a unit already taken, a duplicate), rule → 422, not_found → 404.
 */
export type DomainErrorKind = 'conflict' | 'rule' | 'not_found';

export const DOMAIN_ERROR_KINDS = {
  ALREADY_EXISTS: 'conflict',
  BED_NOT_VACANT: 'conflict',
  HOUSEHOLD_FULL: 'conflict',
  BLOCK_BED_ALLOCATED: 'conflict',
  OVERLAPPING_PLACEMENT: 'conflict',
  NOT_FOUND: 'not_found',
  OUTSIDE_REGISTRATION: 'rule',
  APPROVAL_TERMS_EXCEEDED: 'rule',
  HOUSEHOLD_NOT_AVAILABLE: 'rule',
  MATCHING_REQUIRED: 'rule',
  IMPACT_UNACCEPTABLE: 'rule',
  SAFETY_PLAN_REQUIRED: 'rule',
  SETTING_CLOSED: 'rule',
  OUTSIDE_CONTRACT: 'rule',
  CONTRACT_ENDED: 'rule',
  CONTRACT_HAS_ALLOCATIONS: 'rule',
  REFERRAL_NOT_OPEN: 'rule',
  STEP_DOWN_NOT_ACTIVE: 'rule',
  NOT_RESIDENTIAL: 'rule',
  HOLD_NOT_FOUND: 'rule',
  BED_OCCUPIED: 'rule',
  BED_IN_USE: 'rule',
  INVALID_STATE: 'rule',
  INVALID_CODE: 'rule',
  INVALID_DATES: 'rule',
  INVALID_INPUT: 'rule',
  DATE_IN_FUTURE: 'rule',
  END_HAS_HAPPENED: 'rule',
  EXCLUDED_BY_MATCHING: 'rule',
  OVERRIDE_NOT_ALLOWED: 'rule',
  HOUSEHOLD_HAS_CHILDREN: 'rule',
  SETTING_HAS_RESIDENTS: 'rule',
  NOT_A_CARE_LEAVER: 'rule',
} as const satisfies Record<string, DomainErrorKind>;

export type DomainErrorCode = keyof typeof DOMAIN_ERROR_KINDS;

export class DomainError extends Error {
  readonly kind: DomainErrorKind;

  constructor(
    readonly code: DomainErrorCode,
    /** Safe for logs and problem+json: never a child's name, date of birth or free text. */
    message: string,
    /** Extra members for the problem+json body (codes only, never a child's data). */
    readonly extensions: Readonly<Record<string, readonly string[]>> = {},
  ) {
    super(message);
    this.name = 'DomainError';
    this.kind = DOMAIN_ERROR_KINDS[code];
  }
}

export const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;

/** Throws the error when the condition is false; keeps decide() bodies flat. */
export function require_(condition: boolean, code: DomainErrorCode, message: string): asserts condition {
  if (!condition) throw new DomainError(code, message);
}
