import type { Projection } from './projection';
import { capacityProjection } from './capacity/capacity.projection';
import { utilisationProjection } from './block-bookings/utilisation.projection';
import { sufficiencyProjection } from './sufficiency/sufficiency.projection';
import { childHomesProjection } from './need-to-know/child-homes.projection';

/** Every read model the API serves, in the order the runner applies them. */
export function allProjections(): Projection[] {
  return [capacityProjection, utilisationProjection, sufficiencyProjection, childHomesProjection];
}
