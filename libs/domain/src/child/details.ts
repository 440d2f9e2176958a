import { isBusinessDate, type BusinessDate } from '../shared/dates';
import type { DomainErrorCode } from '../shared/errors';
import type { ChildSex } from '../shared/types';
import { UPN_UNKNOWN } from '../ssda903-codes';

/**
 * The child's facts the SSDA903 header file needs beyond registration: the unique pupil number
 * (or the DfE's code for why there is none), MOTHER and MC_DOB. One set of rules, used by the
 * child decider (registration and updates), the API's request validation and the return's import.
 */

/** The check-letter alphabet of the DfE's UPN formula: A–Z without I, O and S, valued 0–22. */
export const UPN_LETTERS = 'ABCDEFGHJKLMNPQRTUVWXYZ';

/** The DfE's codes for a looked-after child whose UPN is not known (UN1–UN5). */
export const UPN_UNKNOWN_CODES = UPN_UNKNOWN.map((entry) => entry.code);
export type UpnUnknownCode = (typeof UPN_UNKNOWN)[number]['code'];
export const isUpnUnknownCode = (value: unknown): value is UpnUnknownCode =>
  typeof value === 'string' && (UPN_UNKNOWN_CODES as readonly string[]).includes(value);

/** A permanent UPN (letter, 12 digits) or a temporary one (letter, 11 digits, letter); the letters exclude I, O, S. */
const UPN_SHAPE = /^[A-HJ-NP-RT-Z]\d{11}[0-9A-HJ-NP-RT-Z]$/;

/**
 * The check letter of a UPN's last 12 characters, by the DfE's formula: each character at
 * position 2–13 is weighted by its position, a temporary UPN's final letter counting as its
 * place in UPN_LETTERS; the sum modulo 23 indexes UPN_LETTERS. Null when the 12 characters
 * are not 11 digits followed by a digit or an allowed letter.
 */
export function upnCheckLetter(last12: string): string | null {
  if (!/^\d{11}[0-9A-HJ-NP-RT-Z]$/.test(last12)) return null;
  let sum = 0;
  for (let i = 0; i < 12; i++) {
    const ch = last12[i];
    const value = i < 11 || /\d/.test(ch) ? Number(ch) : UPN_LETTERS.indexOf(ch);
    sum += value * (i + 2);
  }
  return UPN_LETTERS[sum % 23];
}

/** Whether a value is a UPN whose check letter agrees with its digits (UN codes are not UPNs). */
export function isValidUpn(value: unknown): value is string {
  return typeof value === 'string' && UPN_SHAPE.test(value) && upnCheckLetter(value.slice(1)) === value[0];
}

/**
 * Why a UPN column value is refused, or null when it is a valid UPN or one of UN1–UN5. No part of
 * the value is echoed.
 */
export function upnProblem(value: string): string | null {
  if (isUpnUnknownCode(value)) return null;
  if (!UPN_SHAPE.test(value))
    return (
      'must be a 13-character unique pupil number (a check letter, 11 digits, then a digit or a letter; ' +
      `no I, O or S), or one of the DfE's codes for an unknown UPN: ${UPN_UNKNOWN_CODES.join(', ')}`
    );
  if (upnCheckLetter(value.slice(1)) !== value[0])
    return "check letter does not agree with the digits (the DfE's UPN formula)";
  return null;
}

export type MotherCode = '0' | '1';

export interface ChildDetails {
  /** A valid UPN, one of UN1–UN5, or null when not recorded. */
  readonly upn: string | null;
  /** MOTHER: '1' she is a mother, '0' she is not; only for a female child. */
  readonly mother: MotherCode | null;
  /** MC_DOB: her (first) child's date of birth; exactly when MOTHER is '1'. */
  readonly motherChildDateOfBirth: BusinessDate | null;
}

export interface ChildDetailsProblem {
  readonly field: keyof ChildDetails;
  readonly code: Extract<DomainErrorCode, 'INVALID_CODE' | 'INVALID_INPUT' | 'INVALID_DATES'>;
  /** Plain words, naming the rule; never the value itself. */
  readonly message: string;
}

/**
 * Everything wrong with a child's UPN, MOTHER and MC_DOB given who the child is, in field order;
 * empty when they may be recorded. The DfE checks these mirror: 168 (UPN), 171 (MC_DOB a date),
 * 174 and 612 (MC_DOB only for a mother), 611 (a mother has MC_DOB), 621 (a mother is older than
 * her child); MOTHER is asked of female children only (393, 607).
 */
export function childDetailsProblems(
  child: { readonly sex: ChildSex; readonly dateOfBirth: BusinessDate },
  details: ChildDetails,
): ChildDetailsProblem[] {
  const problems: ChildDetailsProblem[] = [];
  const { upn, mother, motherChildDateOfBirth: mcDob } = details;
  if (upn !== null) {
    const problem = upnProblem(upn);
    if (problem !== null) problems.push({ field: 'upn', code: 'INVALID_CODE', message: `UPN ${problem}` });
  }
  if (mother !== null && mother !== '0' && mother !== '1')
    problems.push({ field: 'mother', code: 'INVALID_CODE', message: "MOTHER is '1' (a mother) or '0' (not a mother)" });
  else if (mother !== null && child.sex !== 'F')
    problems.push({ field: 'mother', code: 'INVALID_INPUT', message: 'MOTHER is recorded for a female child only' });
  if (mcDob !== null) {
    if (!isBusinessDate(mcDob))
      problems.push({ field: 'motherChildDateOfBirth', code: 'INVALID_DATES', message: 'MC_DOB must be YYYY-MM-DD' });
    else if (mother !== '1')
      problems.push({
        field: 'motherChildDateOfBirth',
        code: 'INVALID_INPUT',
        message: "MC_DOB is recorded only for a child who is a mother (MOTHER '1')",
      });
    else if (mcDob <= child.dateOfBirth)
      problems.push({
        field: 'motherChildDateOfBirth',
        code: 'INVALID_DATES',
        message: "MC_DOB must be after the mother's own date of birth",
      });
  } else if (mother === '1')
    problems.push({
      field: 'motherChildDateOfBirth',
      code: 'INVALID_INPUT',
      message: "a child recorded as a mother (MOTHER '1') needs MC_DOB, her child's date of birth",
    });
  return problems;
}
