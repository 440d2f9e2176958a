/**
 * SSDA903 (children looked after return) code sets, verbatim from DOMAIN.md, so that
 * exports load into the DfE's tools. Each list pairs the code with its meaning.
 */

function codesOf<const T extends readonly { readonly code: string }[]>(list: T): ReadonlyArray<T[number]['code']> {
  return list.map((entry) => entry.code);
}

export const PLACE = [
  { code: 'U1', meaning: 'Foster placement with relative or friend, long term fostering' },
  { code: 'U2', meaning: 'Foster placement with relative or friend who is also an approved adopter (FFA/concurrent)' },
  { code: 'U3', meaning: 'Foster placement with relative or friend, not long term or FFA/concurrent' },
  { code: 'U4', meaning: 'Foster placement with other foster carer, long term fostering' },
  { code: 'U5', meaning: 'Foster placement with other foster carer who is also an approved adopter (FFA/concurrent)' },
  { code: 'U6', meaning: 'Foster placement with other foster carer, not long term or FFA/concurrent' },
  { code: 'K1', meaning: "Secure children's home" },
  { code: 'K2', meaning: "Children's home registered under the Care Standards Act" },
  { code: 'K3', meaning: 'Registered supported accommodation (16+)' },
  { code: 'H5', meaning: 'Semi-independent living accommodation (historic, pre-registration)' },
  { code: 'R1', meaning: 'Residential care home' },
  { code: 'R2', meaning: 'NHS/health trust or other establishment providing medical or nursing care' },
  { code: 'R3', meaning: 'Family centre or mother and baby unit' },
  { code: 'R5', meaning: 'Young offender institution or prison' },
  { code: 'P1', meaning: 'Placed with own parent(s) or other person with parental responsibility' },
  { code: 'P2', meaning: 'Independent living' },
  { code: 'P3', meaning: 'Residential employment' },
  { code: 'A3', meaning: 'Placed for adoption with consent with current foster carer' },
  { code: 'A4', meaning: 'Placed for adoption with consent not with current foster carer' },
  { code: 'A5', meaning: 'Placed for adoption with placement order with current foster carer' },
  { code: 'A6', meaning: 'Placed for adoption with placement order not with current foster carer' },
  { code: 'T0', meaning: 'Temporary placement: all types' },
  { code: 'T1', meaning: 'Temporary periods in hospital' },
  { code: 'T2', meaning: 'Temporary absences of the child on holiday' },
  { code: 'T3', meaning: "Temporary accommodation whilst normal foster carer is on holiday" },
  { code: 'T4', meaning: 'Temporary accommodation of seven days or less (custody or other)' },
  { code: 'Z1', meaning: 'Other placements' },
] as const;
export type PlaceCode = (typeof PLACE)[number]['code'];
export const PLACE_CODES = codesOf(PLACE);
/** Foster placements: the only PLACE codes a household placement may carry. */
export const FOSTER_PLACE_CODES = ['U1', 'U2', 'U3', 'U4', 'U5', 'U6'] as const satisfies readonly PlaceCode[];
export type FosterPlaceCode = (typeof FOSTER_PLACE_CODES)[number];

export const PLACE_PROVIDER = [
  { code: 'PR0', meaning: 'Parent(s) or other person with parental responsibility' },
  { code: 'PR1', meaning: 'Own local authority provision' },
  { code: 'PR2', meaning: 'Other local authority provision' },
  { code: 'PR3', meaning: 'Other public provision (e.g. a PCT)' },
  { code: 'PR4', meaning: 'Private provision' },
  { code: 'PR5', meaning: 'Voluntary/third sector provision' },
] as const;
export type PlaceProviderCode = (typeof PLACE_PROVIDER)[number]['code'];
export const PLACE_PROVIDER_CODES = codesOf(PLACE_PROVIDER);

export const LEGAL_STATUS = [
  { code: 'C1', meaning: 'Interim care order' },
  { code: 'C2', meaning: 'Full care order' },
  { code: 'E1', meaning: 'Placement order granted' },
  { code: 'V2', meaning: 'Single period of accommodation under section 20' },
  { code: 'V3', meaning: 'Accommodated under an agreed series of short-term breaks, individual episodes' },
  { code: 'V4', meaning: 'Accommodated under an agreed series of short-term breaks, single placement' },
  { code: 'L1', meaning: 'Under police protection and in local authority accommodation' },
  { code: 'L2', meaning: 'Emergency protection order' },
  { code: 'L3', meaning: 'Under child assessment order and in local authority accommodation' },
  { code: 'J1', meaning: 'Remanded to local authority accommodation or youth detention accommodation' },
  { code: 'J2', meaning: 'Placed in local authority accommodation under PACE' },
  { code: 'J3', meaning: 'Sentenced to a youth rehabilitation order with residence or fostering requirement' },
] as const;
export type LegalStatusCode = (typeof LEGAL_STATUS)[number]['code'];
export const LEGAL_STATUS_CODES = codesOf(LEGAL_STATUS);

export const RNE = [
  { code: 'S', meaning: 'Started to be looked after' },
  { code: 'L', meaning: 'Change of legal status only' },
  { code: 'P', meaning: 'Change of placement and legal status' },
  { code: 'T', meaning: 'Change of placement only (with same carer)' },
  { code: 'B', meaning: 'Change of legal status and placement' },
  { code: 'U', meaning: 'Change of legal status and carer' },
] as const;
export type RneCode = (typeof RNE)[number]['code'];
export const RNE_CODES = codesOf(RNE);

export const REASON_PLACE_CHANGE = [
  { code: 'CARPL', meaning: "Change to the carer's circumstances" },
  { code: 'ALLEG', meaning: 'Allegation (s47)' },
  { code: 'STAND', meaning: 'Standards of care concern' },
  { code: 'APPRR', meaning: 'Approval removed' },
  { code: 'CUSTOD', meaning: 'Custody arrangement' },
  { code: 'CLOSE', meaning: 'Setting closed' },
  { code: 'CREQB', meaning: 'Carer request due to child behaviour' },
  { code: 'CREQO', meaning: 'Carer request, other' },
  { code: 'CHILD', meaning: "Child's wishes" },
  { code: 'LAREQ', meaning: 'Local authority request (e.g. step-down, care plan)' },
  { code: 'PLACE', meaning: "Change to the placement's registration" },
  { code: 'OTHER', meaning: 'Other' },
] as const;
export type ReasonPlaceChangeCode = (typeof REASON_PLACE_CHANGE)[number]['code'];
export const REASON_PLACE_CHANGE_CODES = codesOf(REASON_PLACE_CHANGE);

export const REC = [
  { code: 'E11', meaning: 'Adopted, application for an adoption order unopposed' },
  { code: 'E12', meaning: 'Adopted, consent dispensed with by the court' },
  { code: 'E13', meaning: 'Left care to live with parent(s), relative or other person with no parental responsibility' },
  { code: 'E14', meaning: 'Accommodation on remand ended' },
  { code: 'E15', meaning: 'Age assessment determined child is aged 18 or over' },
  { code: 'E16', meaning: 'Child moved abroad' },
  { code: 'E17', meaning: 'Aged 18 (or over) and remained with current carers (staying put)' },
  { code: 'E2', meaning: 'Died' },
  { code: 'E3', meaning: 'Care taken over by another local authority in the UK' },
  { code: 'E41', meaning: 'Residence order (or child arrangement order) granted' },
  { code: 'E42', meaning: 'Returned home to live with parent(s) or other person with parental responsibility' },
  { code: 'E43', meaning: 'Special guardianship order made to former foster carers' },
  { code: 'E44', meaning: 'Special guardianship order made to carers other than former foster carers' },
  { code: 'E45', meaning: 'Special guardianship order made to former foster carers who are relatives or friends' },
  { code: 'E46', meaning: 'Special guardianship order made to carers other than former foster carers who are relatives or friends' },
  { code: 'E47', meaning: 'Child arrangements order granted to former foster carers' },
  { code: 'E48', meaning: 'Child arrangements order granted to carers other than former foster carers' },
  { code: 'E5', meaning: 'Moved into independent living arrangement' },
  { code: 'E6', meaning: 'Sentenced to custody' },
  { code: 'E7', meaning: 'Moved into residential care funded by adult social care' },
  { code: 'E8', meaning: 'Period of being looked after ceased for any other reason' },
  { code: 'E9', meaning: 'Reached age 18' },
  { code: 'X1', meaning: 'Episode ceases, and new episode begins on same day, for any reason' },
] as const;
export type RecCode = (typeof REC)[number]['code'];
export const REC_CODES = codesOf(REC);

/** CIN (category of need) — an episodes-file column, carried on the child stream. */
export const CIN = [
  { code: 'N1', meaning: 'Abuse or neglect' },
  { code: 'N2', meaning: "Child's disability" },
  { code: 'N3', meaning: 'Parental illness or disability' },
  { code: 'N4', meaning: 'Family in acute stress' },
  { code: 'N5', meaning: 'Family dysfunction' },
  { code: 'N6', meaning: 'Socially unacceptable behaviour' },
  { code: 'N7', meaning: 'Low income' },
  { code: 'N8', meaning: 'Absent parenting' },
] as const;
export type CinCode = (typeof CIN)[number]['code'];
export const CIN_CODES = codesOf(CIN);

function isOneOf<T extends string>(codes: ReadonlyArray<T>, value: unknown): value is T {
  return typeof value === 'string' && (codes as ReadonlyArray<string>).includes(value);
}

export const isPlaceCode = (value: unknown): value is PlaceCode => isOneOf(PLACE_CODES, value);
export const isFosterPlaceCode = (value: unknown): value is FosterPlaceCode => isOneOf(FOSTER_PLACE_CODES, value);
export const isPlaceProviderCode = (value: unknown): value is PlaceProviderCode => isOneOf(PLACE_PROVIDER_CODES, value);
export const isLegalStatusCode = (value: unknown): value is LegalStatusCode => isOneOf(LEGAL_STATUS_CODES, value);
export const isRneCode = (value: unknown): value is RneCode => isOneOf(RNE_CODES, value);
export const isReasonPlaceChangeCode = (value: unknown): value is ReasonPlaceChangeCode =>
  isOneOf(REASON_PLACE_CHANGE_CODES, value);
export const isRecCode = (value: unknown): value is RecCode => isOneOf(REC_CODES, value);
export const isCinCode = (value: unknown): value is CinCode => isOneOf(CIN_CODES, value);

/** An E-code ends the period of care; X1 (or none) means the child stays looked after. */
export const endsPeriodOfCare = (rec: RecCode | null): boolean => rec !== null && rec !== 'X1';

/** Ofsted URN for a registered setting: SC followed by 6 digits. */
export const isOfstedUrn = (value: unknown): value is string => typeof value === 'string' && /^SC\d{6}$/.test(value);
