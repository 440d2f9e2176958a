import { exhaustive } from '@placement/domain';
import type { PlaceCode, PlaceProviderCode, ReasonNewEpisodeCode } from './codes';
import { PLACES_REQUIRING_URN, URN_NOT_APPLICABLE } from './codes';

/** What changed at the start of a new episode within a period of care. */
export interface EpisodeChange {
  readonly legalStatus: boolean;
  readonly placement: boolean;
  /** Only meaningful with a placement change: the new placement has a different carer. */
  readonly carer: boolean;
}

/**
 * RNE for an episode that follows another in the same period (the DfE's definitions):
 * L legal status only; P placement and carer; T placement, same carer;
 * B legal status, placement and carer; U legal status and placement, same carer.
 * Returns null when nothing changed, i.e. there is no new episode.
 */
export function reasonNewEpisode(change: EpisodeChange): Exclude<ReasonNewEpisodeCode, 'S'> | null {
  if (change.placement) {
    if (change.carer) return change.legalStatus ? 'B' : 'P';
    return change.legalStatus ? 'U' : 'T';
  }
  return change.legalStatus ? 'L' : null;
}

/** What an RNE says changed; the inverse of `reasonNewEpisode` (S: everything is new). */
export function changeOf(rne: ReasonNewEpisodeCode): EpisodeChange {
  switch (rne) {
    case 'S':
      return { legalStatus: true, placement: true, carer: true };
    case 'L':
      return { legalStatus: true, placement: false, carer: false };
    case 'P':
      return { legalStatus: false, placement: true, carer: true };
    case 'T':
      return { legalStatus: false, placement: true, carer: false };
    case 'B':
      return { legalStatus: true, placement: true, carer: true };
    case 'U':
      return { legalStatus: true, placement: true, carer: false };
    default:
      return exhaustive(rne);
  }
}

/** Temporary placements and Z1 are recorded with no provider (DfE rule). */
export const PLACES_WITHOUT_PROVIDER: readonly PlaceCode[] = ['T0', 'T1', 'T2', 'T3', 'T4', 'Z1'];

/** Why a PLACE / PLACE_PROVIDER pair is inconsistent, or null when it is consistent. */
export function placeProviderProblem(place: PlaceCode, provider: PlaceProviderCode | null): string | null {
  const noProvider = PLACES_WITHOUT_PROVIDER.includes(place);
  if (noProvider && provider !== null) return `PLACE ${place} is recorded with no PLACE_PROVIDER`;
  if (!noProvider && provider === null) return `PLACE ${place} needs a PLACE_PROVIDER`;
  if (place === 'P1' && provider !== 'PR0') return 'a child placed with parents (P1) has provider PR0';
  if (provider === 'PR0' && place !== 'P1') return 'provider PR0 (parents) is only for placement with parents (P1)';
  return null;
}

/** Who runs the unit a child is placed in, as the product records it. */
export type UnitProvider = 'own-authority' | 'other-authority' | 'other-public' | 'private' | 'voluntary' | 'parents';

/** PLACE_PROVIDER for a unit's provider, so the return always agrees with the unit record. */
export function placeProviderFor(place: PlaceCode, provider: UnitProvider): PlaceProviderCode | null {
  if (PLACES_WITHOUT_PROVIDER.includes(place)) return null;
  switch (provider) {
    case 'parents':
      return 'PR0';
    case 'own-authority':
      return 'PR1';
    case 'other-authority':
      return 'PR2';
    case 'other-public':
      return 'PR3';
    case 'private':
      return 'PR4';
    case 'voluntary':
      return 'PR5';
    default:
      return exhaustive(provider);
  }
}

/** URN column: the setting's Ofsted URN when it has one (always for K1/K2/K3), XXXXXXX otherwise. */
export function urnColumn(urn: string | null): string {
  return urn ?? URN_NOT_APPLICABLE;
}

export function placeRequiresUrn(place: PlaceCode): boolean {
  return PLACES_REQUIRING_URN.includes(place);
}
