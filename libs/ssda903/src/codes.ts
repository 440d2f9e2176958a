/**
 * SSDA903 (children looked after return) code sets, verbatim from the DfE's guidance, with
 * their meanings. Kept as `as const` tables so each code set is both a runtime list (for
 * import validation) and a string-literal type (for the episode rules).
 *
 * Where ../shared/DOMAIN.md summarises a code differently from the DfE, the DfE wording is
 * used: the point of the return is that it loads into the DfE's tools (see README in this lib).
 */

export const PLACE = {
  U1: 'Foster placement with relative(s) or friend(s), long term fostering',
  U2: 'Foster placement with relative(s) or friend(s) who is/are also approved adopter(s): fostering for adoption / concurrent planning',
  U3: 'Foster placement with relative(s) or friend(s), not long term or FFA/concurrent planning',
  U4: 'Foster placement with other foster carer(s), long term fostering',
  U5: 'Foster placement with other foster carer(s) who is/are also approved adopter(s): fostering for adoption / concurrent planning',
  U6: 'Foster placement with other foster carer(s), not long term or FFA/concurrent planning',
  K1: 'Secure children’s home',
  K2: 'Children’s home subject to the Children’s Homes Regulations (registered under the Care Standards Act 2000)',
  K3: 'Registered supported accommodation (16+)',
  H5: 'Semi-independent living accommodation not subject to children’s homes regulations (historic, before supported accommodation registration)',
  R1: 'Residential care home',
  R2: 'NHS/health trust or other establishment providing medical or nursing care',
  R3: 'Family centre or mother and baby unit',
  R5: 'Young offender institution',
  S1: 'Residential school, except where dual-registered as a school and children’s home',
  P1: 'Placed with own parent(s) or other person(s) with parental responsibility',
  P2: 'Independent living, e.g. flat, lodgings, bedsit, B&B or with friends, with or without formal support',
  P3: 'Residential employment',
  A3: 'Placed for adoption with consent with current foster carer(s)',
  A4: 'Placed for adoption with consent not with current foster carer(s)',
  A5: 'Placed for adoption with placement order with current foster carer(s)',
  A6: 'Placed for adoption with placement order not with current foster carer(s)',
  T0: 'All types of temporary move',
  T1: 'Temporary period in hospital',
  T2: 'Temporary absence of the child on holiday',
  T3: 'Temporary accommodation whilst normal foster carer(s) is/are on holiday',
  T4: 'Temporary accommodation of seven days or less, for any reason, not covered by T1 to T3',
  Z1: 'Other placement (listed on a schedule sent to the DfE with the return)',
} as const;
export type PlaceCode = keyof typeof PLACE;

export const PLACE_PROVIDER = {
  PR0: 'Parent(s) or other person(s) with parental responsibility',
  PR1: 'Own provision (by the local authority)',
  PR2: 'Other local authority provision',
  PR3: 'Other public provision (e.g. a health trust)',
  PR4: 'Private provision',
  PR5: 'Voluntary/third sector provision',
} as const;
export type PlaceProviderCode = keyof typeof PLACE_PROVIDER;

export const LEGAL_STATUS = {
  C1: 'Interim care order',
  C2: 'Full care order',
  D1: 'Freeing order granted',
  E1: 'Placement order granted',
  V2: 'Single period of accommodation under section 20 (Children Act 1989)',
  V3: 'Accommodated under an agreed series of short-term breaks, when individual episodes of care are recorded',
  V4: 'Accommodated under an agreed series of short-term breaks, when agreements are recorded',
  L1: 'Under police protection and in local authority accommodation',
  L2: 'Emergency protection order',
  L3: 'Under child assessment order and in local authority accommodation',
  J1: 'Remanded to local authority accommodation or to youth detention accommodation',
  J2: 'Placed in local authority accommodation under the Police and Criminal Evidence Act 1984',
  J3: 'Sentenced to a youth rehabilitation order with residence or intensive fostering requirement',
} as const;
export type LegalStatusCode = keyof typeof LEGAL_STATUS;

/**
 * RNE, reason for new episode. "Carer" is who looks after the child (a foster household,
 * a children's home); "placement" is the placement record (type, provider, postcode, URN).
 */
export const REASON_NEW_EPISODE = {
  S: 'Started to be looked after',
  L: 'Change of legal status only',
  P: 'Change of placement and carer(s) only',
  T: 'Change of placement (but same carer(s)) only',
  B: 'Change of legal status and placement and carer(s) at the same time',
  U: 'Change of legal status and change of placement (but same carer(s)) at the same time',
} as const;
export type ReasonNewEpisodeCode = keyof typeof REASON_NEW_EPISODE;

export const REASON_PLACE_CHANGE = {
  CARPL: 'Change to/implementation of care plan',
  ALLEG: 'Allegation (s47)',
  STAND: 'Standards of care concern',
  APPRR: 'Approval removed',
  CUSTOD: 'Custody arrangement',
  CLOSE: 'Resignation/closure of provision',
  CREQB: 'Carer(s) requests placement end due to child’s behaviour',
  CREQO: 'Carer(s) requests placement end other than due to child’s behaviour',
  CHILD: 'Child requests placement end',
  LAREQ: 'Responsible/area authority requests placement end (e.g. step-down, care plan)',
  PLACE: 'Change in the status of placement only',
  OTHER: 'Other',
} as const;
export type ReasonPlaceChangeCode = keyof typeof REASON_PLACE_CHANGE;

/** REC, reason episode ceased. X1 is the only code that does not end the period of care. */
export const REASON_EPISODE_CEASED = {
  X1: 'Episode ceases, and new episode begins on same day, for any reason',
  E11: 'Adopted: application for an adoption order unopposed',
  E12: 'Adopted: consent dispensed with by the court',
  E13: 'Left care to live with parent(s), relative(s), or other person(s) with no parental responsibility',
  E14: 'Accommodation on remand ended',
  E15: 'Age assessment determined child is aged 18 or over',
  E16: 'Child moved abroad',
  E17: 'Aged 18 (or over) and remained with current carers (including staying put)',
  E2: 'Died',
  E3: 'Care taken over by another local authority in the UK',
  E41: 'Residence order / child arrangements order granted',
  E45: 'Special guardianship order made to former foster carer(s), relative(s) or friend(s)',
  E46: 'Special guardianship order made to former foster carer(s), other than relative(s) or friend(s)',
  E47: 'Special guardianship order made to carer(s), other than former foster carer(s), relative(s) or friend(s)',
  E48: 'Special guardianship order made to carer(s), other than former foster carer(s), other than relative(s) or friend(s)',
  E4A: 'Returned home to live with parent(s) or person(s) with parental responsibility as part of the care planning process',
  E4B: 'Returned home to live with parent(s) or person(s) with parental responsibility, not part of the care planning process',
  E5: 'Moved into independent living with formalised advice/support',
  E6: 'Moved into independent living without formalised advice/support',
  E7: 'Transferred to residential care funded by adult social care services',
  E8: 'Period of being looked after ceased for any other reason',
  E9: 'Sentenced to custody',
} as const;
export type ReasonEpisodeCeasedCode = keyof typeof REASON_EPISODE_CEASED;
/** The REC codes that end a period of care (every code but X1). */
export type ReasonCareEndedCode = Exclude<ReasonEpisodeCeasedCode, 'X1'>;

/** CIN, category of need. */
export const CATEGORY_OF_NEED = {
  N1: 'Abuse or neglect',
  N2: 'Child’s disability',
  N3: 'Parental illness or disability',
  N4: 'Family in acute stress',
  N5: 'Family dysfunction',
  N6: 'Socially unacceptable behaviour',
  N7: 'Low income',
  N8: 'Absent parenting',
} as const;
export type CategoryOfNeedCode = keyof typeof CATEGORY_OF_NEED;

export const SEX = { M: 'Male', F: 'Female', U: 'Unknown / not recorded (from 2024/25)' } as const;
export type SexCode = keyof typeof SEX;

export const ETHNIC = {
  WBRI: 'White British',
  WIRI: 'White Irish',
  WOTH: 'Any other White background',
  WIRT: 'Traveller of Irish heritage',
  WROM: 'Gypsy/Roma',
  MWBC: 'White and Black Caribbean',
  MWBA: 'White and Black African',
  MWAS: 'White and Asian',
  MOTH: 'Any other mixed background',
  AIND: 'Indian',
  APKN: 'Pakistani',
  ABAN: 'Bangladeshi',
  AOTH: 'Any other Asian background',
  BCRB: 'Caribbean',
  BAFR: 'African',
  BOTH: 'Any other Black background',
  CHNE: 'Chinese',
  OOTH: 'Any other ethnic group',
  REFU: 'Refused',
  NOBT: 'Information not yet obtained',
} as const;
export type EthnicCode = keyof typeof ETHNIC;

/** UPN placeholders for a child with no unique pupil number. */
export const UPN_UNKNOWN = {
  UN1: 'Not of school age and no UPN assigned yet',
  UN2: 'Never attended a maintained school in England',
  UN3: 'Educated outside England',
  UN4: 'Newly looked after; UPN not yet known at the time of the return',
  UN5: 'Sources collating UPNs show discrepancies preventing reliable matching',
} as const;
export type UpnUnknownCode = keyof typeof UPN_UNKNOWN;

function isCodeOf<T extends object>(table: T) {
  return (value: string): value is Extract<keyof T, string> => Object.prototype.hasOwnProperty.call(table, value);
}

export const isPlaceCode = isCodeOf(PLACE);
export const isPlaceProviderCode = isCodeOf(PLACE_PROVIDER);
export const isLegalStatusCode = isCodeOf(LEGAL_STATUS);
export const isReasonNewEpisodeCode = isCodeOf(REASON_NEW_EPISODE);
export const isReasonPlaceChangeCode = isCodeOf(REASON_PLACE_CHANGE);
export const isReasonEpisodeCeasedCode = isCodeOf(REASON_EPISODE_CEASED);
export const isCategoryOfNeedCode = isCodeOf(CATEGORY_OF_NEED);
export const isSexCode = isCodeOf(SEX);
export const isEthnicCode = isCodeOf(ETHNIC);
export const isUpnUnknownCode = isCodeOf(UPN_UNKNOWN);

/** Placement types whose settings are registered with Ofsted, so the episode must carry the setting's URN. */
export const PLACES_REQUIRING_URN: readonly PlaceCode[] = ['K1', 'K2', 'K3'];
/** URN column value where the placement is not in a registered setting. */
export const URN_NOT_APPLICABLE = 'XXXXXXX';
/** Ofsted social care URN as the DfE's checks accept it: SC followed by six digits. */
export const URN_PATTERN = /^SC\d{6}$/;
