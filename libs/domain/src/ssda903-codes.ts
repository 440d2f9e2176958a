/**
 * SSDA903 (children looked after return) code sets, verbatim from the DfE's guidance, so that
 * exports load into the DfE's tools. Each list pairs the code with its meaning. This is the one
 * copy of the lists: @placement/ssda903 builds its lookup tables from these.
 *
 * Where a loose summary describes a code differently from the DfE (RNE P/B/U, REC E4x/E6/E9),
 * the DfE wording is used: REC has E4A/E4B (returned home) and no E42–E44, E6 is independent
 * living without support and E9 is sentenced to custody.
 */

function codesOf<const T extends readonly { readonly code: string }[]>(list: T): ReadonlyArray<T[number]['code']> {
  return list.map((entry) => entry.code);
}

// A meaning longer than a line goes on in a template literal after a backslash (the DfE's text, unchanged): the
// generator of the API's response schemas reads these lists as literals, and a `+` is not one.
export const PLACE = [
  { code: 'U1', meaning: 'Foster placement with relative(s) or friend(s), long term fostering' },
  {
    code: 'U2',
    meaning: `Foster placement with relative(s) or friend(s) who is/are also approved adopter(s): fostering for \
adoption / concurrent planning`,
  },
  { code: 'U3', meaning: 'Foster placement with relative(s) or friend(s), not long term or FFA/concurrent planning' },
  { code: 'U4', meaning: 'Foster placement with other foster carer(s), long term fostering' },
  {
    code: 'U5',
    meaning: `Foster placement with other foster carer(s) who is/are also approved adopter(s): fostering for adoption \
/ concurrent planning`,
  },
  { code: 'U6', meaning: 'Foster placement with other foster carer(s), not long term or FFA/concurrent planning' },
  { code: 'K1', meaning: 'Secure children’s home' },
  {
    code: 'K2',
    meaning:
      'Children’s home subject to the Children’s Homes Regulations (registered under the Care Standards Act 2000)',
  },
  { code: 'K3', meaning: 'Registered supported accommodation (16+)' },
  {
    code: 'H5',
    meaning: `Semi-independent living accommodation not subject to children’s homes regulations (historic, before \
supported accommodation registration)`,
  },
  { code: 'R1', meaning: 'Residential care home' },
  { code: 'R2', meaning: 'NHS/health trust or other establishment providing medical or nursing care' },
  { code: 'R3', meaning: 'Family centre or mother and baby unit' },
  { code: 'R5', meaning: 'Young offender institution' },
  { code: 'S1', meaning: 'Residential school, except where dual-registered as a school and children’s home' },
  { code: 'P1', meaning: 'Placed with own parent(s) or other person(s) with parental responsibility' },
  {
    code: 'P2',
    meaning: 'Independent living, e.g. flat, lodgings, bedsit, B&B or with friends, with or without formal support',
  },
  { code: 'P3', meaning: 'Residential employment' },
  { code: 'A3', meaning: 'Placed for adoption with consent with current foster carer(s)' },
  { code: 'A4', meaning: 'Placed for adoption with consent not with current foster carer(s)' },
  { code: 'A5', meaning: 'Placed for adoption with placement order with current foster carer(s)' },
  { code: 'A6', meaning: 'Placed for adoption with placement order not with current foster carer(s)' },
  { code: 'T0', meaning: 'All types of temporary move' },
  { code: 'T1', meaning: 'Temporary period in hospital' },
  { code: 'T2', meaning: 'Temporary absence of the child on holiday' },
  { code: 'T3', meaning: 'Temporary accommodation whilst normal foster carer(s) is/are on holiday' },
  { code: 'T4', meaning: 'Temporary accommodation of seven days or less, for any reason, not covered by T1 to T3' },
  { code: 'Z1', meaning: 'Other placement (listed on a schedule sent to the DfE with the return)' },
] as const;
export type PlaceCode = (typeof PLACE)[number]['code'];
export const PLACE_CODES = codesOf(PLACE);
/** Foster placements: the PLACE codes a household placement carries, other than adoption by the current carers. */
export const FOSTER_PLACE_CODES = ['U1', 'U2', 'U3', 'U4', 'U5', 'U6'] as const satisfies readonly PlaceCode[];
export type FosterPlaceCode = (typeof FOSTER_PLACE_CODES)[number];
/** Placed for adoption with the current foster carer(s): the child stays with the same household. */
export const ADOPTION_WITH_CURRENT_CARER_PLACE_CODES = ['A3', 'A5'] as const satisfies readonly PlaceCode[];
/** Every PLACE code a household placement may carry: fostering, or adoption by the same foster carers. */
export const HOUSEHOLD_PLACE_CODES = [
  ...FOSTER_PLACE_CODES,
  ...ADOPTION_WITH_CURRENT_CARER_PLACE_CODES,
] as const satisfies readonly PlaceCode[];
export type HouseholdPlaceCode = (typeof HOUSEHOLD_PLACE_CODES)[number];

export const PLACE_PROVIDER = [
  { code: 'PR0', meaning: 'Parent(s) or other person(s) with parental responsibility' },
  { code: 'PR1', meaning: 'Own provision (by the local authority)' },
  { code: 'PR2', meaning: 'Other local authority provision' },
  { code: 'PR3', meaning: 'Other public provision (e.g. a health trust)' },
  { code: 'PR4', meaning: 'Private provision' },
  { code: 'PR5', meaning: 'Voluntary/third sector provision' },
] as const;
export type PlaceProviderCode = (typeof PLACE_PROVIDER)[number]['code'];
export const PLACE_PROVIDER_CODES = codesOf(PLACE_PROVIDER);

export const LEGAL_STATUS = [
  { code: 'C1', meaning: 'Interim care order' },
  { code: 'C2', meaning: 'Full care order' },
  { code: 'D1', meaning: 'Freeing order granted' },
  { code: 'E1', meaning: 'Placement order granted' },
  { code: 'V2', meaning: 'Single period of accommodation under section 20 (Children Act 1989)' },
  {
    code: 'V3',
    meaning: 'Accommodated under an agreed series of short-term breaks, when individual episodes of care are recorded',
  },
  { code: 'V4', meaning: 'Accommodated under an agreed series of short-term breaks, when agreements are recorded' },
  { code: 'L1', meaning: 'Under police protection and in local authority accommodation' },
  { code: 'L2', meaning: 'Emergency protection order' },
  { code: 'L3', meaning: 'Under child assessment order and in local authority accommodation' },
  { code: 'J1', meaning: 'Remanded to local authority accommodation or to youth detention accommodation' },
  { code: 'J2', meaning: 'Placed in local authority accommodation under the Police and Criminal Evidence Act 1984' },
  {
    code: 'J3',
    meaning: 'Sentenced to a youth rehabilitation order with residence or intensive fostering requirement',
  },
] as const;
export type LegalStatusCode = (typeof LEGAL_STATUS)[number]['code'];
export const LEGAL_STATUS_CODES = codesOf(LEGAL_STATUS);

/**
 * RNE, reason for new episode, in the DfE's words. "Carer" is who looks after the child (a home,
 * a household, an external setting, as `sameCarer` decides); "placement" is the placement record.
 */
export const RNE = [
  { code: 'S', meaning: 'Started to be looked after' },
  { code: 'L', meaning: 'Change of legal status only' },
  { code: 'P', meaning: 'Change of placement and carer(s) only' },
  { code: 'T', meaning: 'Change of placement (but same carer(s)) only' },
  { code: 'B', meaning: 'Change of legal status and placement and carer(s) at the same time' },
  { code: 'U', meaning: 'Change of legal status and change of placement (but same carer(s)) at the same time' },
] as const;
export type RneCode = (typeof RNE)[number]['code'];
export const RNE_CODES = codesOf(RNE);
/** The RNE of an imported return's first episode when it begins part-way through a period of care. */
export type ContinuingRneCode = Exclude<RneCode, 'S'>;

export const REASON_PLACE_CHANGE = [
  { code: 'CARPL', meaning: 'Change to/implementation of care plan' },
  { code: 'ALLEG', meaning: 'Allegation (s47)' },
  { code: 'STAND', meaning: 'Standards of care concern' },
  { code: 'APPRR', meaning: 'Approval removed' },
  { code: 'CUSTOD', meaning: 'Custody arrangement' },
  { code: 'CLOSE', meaning: 'Resignation/closure of provision' },
  { code: 'CREQB', meaning: 'Carer(s) requests placement end due to child’s behaviour' },
  { code: 'CREQO', meaning: 'Carer(s) requests placement end other than due to child’s behaviour' },
  { code: 'CHILD', meaning: 'Child requests placement end' },
  { code: 'LAREQ', meaning: 'Responsible/area authority requests placement end (e.g. step-down, care plan)' },
  { code: 'PLACE', meaning: 'Change in the status of placement only' },
  { code: 'OTHER', meaning: 'Other' },
] as const;
export type ReasonPlaceChangeCode = (typeof REASON_PLACE_CHANGE)[number]['code'];
export const REASON_PLACE_CHANGE_CODES = codesOf(REASON_PLACE_CHANGE);

/** REC, reason episode ceased. X1 is the only code that does not end the period of care. */
export const REC = [
  { code: 'E11', meaning: 'Adopted: application for an adoption order unopposed' },
  { code: 'E12', meaning: 'Adopted: consent dispensed with by the court' },
  {
    code: 'E13',
    meaning: 'Left care to live with parent(s), relative(s), or other person(s) with no parental responsibility',
  },
  { code: 'E14', meaning: 'Accommodation on remand ended' },
  { code: 'E15', meaning: 'Age assessment determined child is aged 18 or over' },
  { code: 'E16', meaning: 'Child moved abroad' },
  { code: 'E17', meaning: 'Aged 18 (or over) and remained with current carers (including staying put)' },
  { code: 'E2', meaning: 'Died' },
  { code: 'E3', meaning: 'Care taken over by another local authority in the UK' },
  { code: 'E41', meaning: 'Residence order / child arrangements order granted' },
  { code: 'E45', meaning: 'Special guardianship order made to former foster carer(s), relative(s) or friend(s)' },
  {
    code: 'E46',
    meaning: 'Special guardianship order made to former foster carer(s), other than relative(s) or friend(s)',
  },
  {
    code: 'E47',
    meaning: 'Special guardianship order made to carer(s), other than former foster carer(s), relative(s) or friend(s)',
  },
  {
    code: 'E48',
    meaning: `Special guardianship order made to carer(s), other than former foster carer(s), other than relative(s) \
or friend(s)`,
  },
  {
    code: 'E4A',
    meaning: `Returned home to live with parent(s) or person(s) with parental responsibility as part of the care \
planning process`,
  },
  {
    code: 'E4B',
    meaning: `Returned home to live with parent(s) or person(s) with parental responsibility, not part of the care \
planning process`,
  },
  { code: 'E5', meaning: 'Moved into independent living with formalised advice/support' },
  { code: 'E6', meaning: 'Moved into independent living without formalised advice/support' },
  { code: 'E7', meaning: 'Transferred to residential care funded by adult social care services' },
  { code: 'E8', meaning: 'Period of being looked after ceased for any other reason' },
  { code: 'E9', meaning: 'Sentenced to custody' },
  { code: 'X1', meaning: 'Episode ceases, and new episode begins on same day, for any reason' },
] as const;
export type RecCode = (typeof REC)[number]['code'];
export const REC_CODES = codesOf(REC);

/** CIN (category of need) — an episodes-file column, carried on the child stream. */
export const CIN = [
  { code: 'N1', meaning: 'Abuse or neglect' },
  { code: 'N2', meaning: 'Child’s disability' },
  { code: 'N3', meaning: 'Parental illness or disability' },
  { code: 'N4', meaning: 'Family in acute stress' },
  { code: 'N5', meaning: 'Family dysfunction' },
  { code: 'N6', meaning: 'Socially unacceptable behaviour' },
  { code: 'N7', meaning: 'Low income' },
  { code: 'N8', meaning: 'Absent parenting' },
] as const;
export type CinCode = (typeof CIN)[number]['code'];
export const CIN_CODES = codesOf(CIN);

/** SEX in the header file; U is accepted from the 2024/25 return. */
export const SEX = [
  { code: 'M', meaning: 'Male' },
  { code: 'F', meaning: 'Female' },
  { code: 'U', meaning: 'Unknown / not recorded (from 2024/25)' },
] as const;

export const ETHNIC = [
  { code: 'WBRI', meaning: 'White British' },
  { code: 'WIRI', meaning: 'White Irish' },
  { code: 'WOTH', meaning: 'Any other White background' },
  { code: 'WIRT', meaning: 'Traveller of Irish heritage' },
  { code: 'WROM', meaning: 'Gypsy/Roma' },
  { code: 'MWBC', meaning: 'White and Black Caribbean' },
  { code: 'MWBA', meaning: 'White and Black African' },
  { code: 'MWAS', meaning: 'White and Asian' },
  { code: 'MOTH', meaning: 'Any other mixed background' },
  { code: 'AIND', meaning: 'Indian' },
  { code: 'APKN', meaning: 'Pakistani' },
  { code: 'ABAN', meaning: 'Bangladeshi' },
  { code: 'AOTH', meaning: 'Any other Asian background' },
  { code: 'BCRB', meaning: 'Caribbean' },
  { code: 'BAFR', meaning: 'African' },
  { code: 'BOTH', meaning: 'Any other Black background' },
  { code: 'CHNE', meaning: 'Chinese' },
  { code: 'OOTH', meaning: 'Any other ethnic group' },
  { code: 'REFU', meaning: 'Refused' },
  { code: 'NOBT', meaning: 'Information not yet obtained' },
] as const;

/** UPN placeholders for a child with no unique pupil number. */
export const UPN_UNKNOWN = [
  { code: 'UN1', meaning: 'Not of school age and no UPN assigned yet' },
  { code: 'UN2', meaning: 'Never attended a maintained school in England' },
  { code: 'UN3', meaning: 'Educated outside England' },
  { code: 'UN4', meaning: 'Newly looked after; UPN not yet known at the time of the return' },
  { code: 'UN5', meaning: 'Sources collating UPNs show discrepancies preventing reliable matching' },
] as const;

function isOneOf<T extends string>(codes: ReadonlyArray<T>, value: unknown): value is T {
  return typeof value === 'string' && (codes as ReadonlyArray<string>).includes(value);
}

export const isPlaceCode = (value: unknown): value is PlaceCode => isOneOf(PLACE_CODES, value);
export const isFosterPlaceCode = (value: unknown): value is FosterPlaceCode => isOneOf(FOSTER_PLACE_CODES, value);
export const isHouseholdPlaceCode = (value: unknown): value is HouseholdPlaceCode =>
  isOneOf(HOUSEHOLD_PLACE_CODES, value);
export const isPlaceProviderCode = (value: unknown): value is PlaceProviderCode => isOneOf(PLACE_PROVIDER_CODES, value);
export const isLegalStatusCode = (value: unknown): value is LegalStatusCode => isOneOf(LEGAL_STATUS_CODES, value);
export const isRneCode = (value: unknown): value is RneCode => isOneOf(RNE_CODES, value);
export const isContinuingRneCode = (value: unknown): value is ContinuingRneCode => value !== 'S' && isRneCode(value);
export const isReasonPlaceChangeCode = (value: unknown): value is ReasonPlaceChangeCode =>
  isOneOf(REASON_PLACE_CHANGE_CODES, value);
export const isRecCode = (value: unknown): value is RecCode => isOneOf(REC_CODES, value);
export const isCinCode = (value: unknown): value is CinCode => isOneOf(CIN_CODES, value);

/** An E-code ends the period of care; X1 (or none) means the child stays looked after. */
export const endsPeriodOfCare = (rec: RecCode | null): boolean => rec !== null && rec !== 'X1';

/** Ofsted URN for a registered setting: SC followed by 6 digits. */
export const isOfstedUrn = (value: unknown): value is string => typeof value === 'string' && /^SC\d{6}$/.test(value);
