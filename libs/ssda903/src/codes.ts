/**
 * SSDA903 (children looked after return) code sets as lookup tables (code → meaning), built from
 * the one copy of the DfE lists in @placement/domain, so the domain's deciders and the return
 * accept exactly the same codes. Each table is both a runtime list (for import validation) and
 * a string-literal type (for the episode rules).
 *
 * Where a loose summary describes a code differently from the DfE, the DfE wording is
 * used: the point of the return is that it loads into the DfE's tools (see README in this lib).
 */
import {
  CIN as CIN_LIST,
  ETHNIC as ETHNIC_LIST,
  LEGAL_STATUS as LEGAL_STATUS_LIST,
  PLACE as PLACE_LIST,
  PLACE_PROVIDER as PLACE_PROVIDER_LIST,
  REASON_PLACE_CHANGE as REASON_PLACE_CHANGE_LIST,
  REC as REC_LIST,
  RNE as RNE_LIST,
  SEX as SEX_LIST,
  UPN_UNKNOWN as UPN_UNKNOWN_LIST,
  isCinCode,
  isRecCode,
  isRneCode,
  type CinCode,
  type PlaceCode,
  type RecCode,
  type RneCode,
} from '@placement/domain';

/*
 * The code types and checks the domain already has are the domain's (one definition); the
 * return's descriptive names for RNE, REC and CIN name the same types and checks.
 */
export type { LegalStatusCode, PlaceCode, PlaceProviderCode, ReasonPlaceChangeCode } from '@placement/domain';
export {
  isLegalStatusCode,
  isOfstedUrn,
  isPlaceCode,
  isPlaceProviderCode,
  isReasonPlaceChangeCode,
} from '@placement/domain';

type CodeList = readonly { readonly code: string; readonly meaning: string }[];
type TableOf<T extends CodeList> = { readonly [E in T[number] as E['code']]: E['meaning'] };

function tableOf<const T extends CodeList>(list: T): TableOf<T> {
  return Object.fromEntries(list.map((entry) => [entry.code, entry.meaning])) as TableOf<T>;
}

export const PLACE = tableOf(PLACE_LIST);
export const PLACE_PROVIDER = tableOf(PLACE_PROVIDER_LIST);
export const LEGAL_STATUS = tableOf(LEGAL_STATUS_LIST);

/**
 * RNE, reason for new episode. "Carer" is who looks after the child (a foster household,
 * a children's home); "placement" is the placement record (type, provider, postcode, URN).
 */
export const REASON_NEW_EPISODE = tableOf(RNE_LIST);
export type ReasonNewEpisodeCode = RneCode;

export const REASON_PLACE_CHANGE = tableOf(REASON_PLACE_CHANGE_LIST);

/** REC, reason episode ceased. X1 is the only code that does not end the period of care. */
export const REASON_EPISODE_CEASED = tableOf(REC_LIST);
export type ReasonEpisodeCeasedCode = RecCode;
/** The REC codes that end a period of care (every code but X1). */
export type ReasonCareEndedCode = Exclude<ReasonEpisodeCeasedCode, 'X1'>;

/** CIN, category of need. */
export const CATEGORY_OF_NEED = tableOf(CIN_LIST);
export type CategoryOfNeedCode = CinCode;

export const SEX = tableOf(SEX_LIST);
export type SexCode = keyof typeof SEX;

export const ETHNIC = tableOf(ETHNIC_LIST);
export type EthnicCode = keyof typeof ETHNIC;

/** UPN placeholders for a child with no unique pupil number. */
export const UPN_UNKNOWN = tableOf(UPN_UNKNOWN_LIST);
export type UpnUnknownCode = keyof typeof UPN_UNKNOWN;

function isCodeOf<T extends object>(table: T) {
  return (value: string): value is Extract<keyof T, string> => Object.prototype.hasOwnProperty.call(table, value);
}

export const isReasonNewEpisodeCode = isRneCode;
export const isReasonEpisodeCeasedCode = isRecCode;
export const isCategoryOfNeedCode = isCinCode;
export const isSexCode = isCodeOf(SEX);
export const isEthnicCode = isCodeOf(ETHNIC);
export const isUpnUnknownCode = isCodeOf(UPN_UNKNOWN);

/** Placement types whose settings are registered with Ofsted, so the episode must carry the setting's URN. */
export const PLACES_REQUIRING_URN: readonly PlaceCode[] = ['K1', 'K2', 'K3'];
/** URN column value where the placement is not in a registered setting. */
export const URN_NOT_APPLICABLE = 'XXXXXXX';
