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
} from '@placement/domain';

type CodeList = readonly { readonly code: string; readonly meaning: string }[];
type TableOf<T extends CodeList> = { readonly [E in T[number] as E['code']]: E['meaning'] };

function tableOf<const T extends CodeList>(list: T): TableOf<T> {
  return Object.fromEntries(list.map((entry) => [entry.code, entry.meaning])) as TableOf<T>;
}

export const PLACE = tableOf(PLACE_LIST);
export type PlaceCode = keyof typeof PLACE;

export const PLACE_PROVIDER = tableOf(PLACE_PROVIDER_LIST);
export type PlaceProviderCode = keyof typeof PLACE_PROVIDER;

export const LEGAL_STATUS = tableOf(LEGAL_STATUS_LIST);
export type LegalStatusCode = keyof typeof LEGAL_STATUS;

/**
 * RNE, reason for new episode. "Carer" is who looks after the child (a foster household,
 * a children's home); "placement" is the placement record (type, provider, postcode, URN).
 */
export const REASON_NEW_EPISODE = tableOf(RNE_LIST);
export type ReasonNewEpisodeCode = keyof typeof REASON_NEW_EPISODE;

export const REASON_PLACE_CHANGE = tableOf(REASON_PLACE_CHANGE_LIST);
export type ReasonPlaceChangeCode = keyof typeof REASON_PLACE_CHANGE;

/** REC, reason episode ceased. X1 is the only code that does not end the period of care. */
export const REASON_EPISODE_CEASED = tableOf(REC_LIST);
export type ReasonEpisodeCeasedCode = keyof typeof REASON_EPISODE_CEASED;
/** The REC codes that end a period of care (every code but X1). */
export type ReasonCareEndedCode = Exclude<ReasonEpisodeCeasedCode, 'X1'>;

/** CIN, category of need. */
export const CATEGORY_OF_NEED = tableOf(CIN_LIST);
export type CategoryOfNeedCode = keyof typeof CATEGORY_OF_NEED;

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
