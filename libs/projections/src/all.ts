import type { Projection } from './projection';
import { capacityProjection } from './capacity/capacity.projection';
import { utilisationProjection } from './block-bookings/utilisation.projection';
import { sufficiencyProjection } from './sufficiency/sufficiency.projection';
import { childHomesProjection } from './need-to-know/child-homes.projection';
import { referralListProjection } from './lists/referral-list.projection';
import { childListProjection } from './lists/child-list.projection';
import { estateListProjection } from './lists/estate-list.projection';
import { auditIndexProjection } from './audit/audit-index.projection';
import { alertsProjection } from './alerts/alerts.projection';

/** Every read model the API serves, in the order the runner applies them. */
export function allProjections(): Projection[] {
  return [
    capacityProjection,
    utilisationProjection,
    sufficiencyProjection,
    referralListProjection,
    childListProjection,
    estateListProjection,
    childHomesProjection,
    auditIndexProjection,
    alertsProjection,
  ];
}
