import { alertsProjection } from './alerts/alerts.projection';
import { auditIndexProjection } from './audit/audit-index.projection';
import { utilisationProjection } from './block-bookings/utilisation.projection';
import { capacityProjection } from './capacity/capacity.projection';
import { childListProjection } from './lists/child-list.projection';
import { estateListProjection } from './lists/estate-list.projection';
import { referralListProjection } from './lists/referral-list.projection';
import { childHomesProjection } from './need-to-know/child-homes.projection';
import { tablesOf } from './projection';
import { sufficiencyProjection } from './sufficiency/sufficiency.projection';

describe('tablesOf: the tables a read model drops on rebuild are the ones its schema creates', () => {
  it('names each CREATE TABLE in order, and no index', () => {
    const schema = `
CREATE TABLE IF NOT EXISTS list_children (child_id TEXT PRIMARY KEY, position INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS list_children_position ON list_children (position);
CREATE TABLE IF NOT EXISTS list_placements (
  placement_id TEXT PRIMARY KEY, child_id TEXT NOT NULL) WITHOUT ROWID;
`;
    expect(tablesOf(schema)).toEqual(['list_children', 'list_placements']);
  });

  it.each(
    [
      alertsProjection,
      auditIndexProjection,
      utilisationProjection,
      capacityProjection,
      childListProjection,
      estateListProjection,
      referralListProjection,
      childHomesProjection,
      sufficiencyProjection,
    ].map((p) => [p.name, p] as const),
  )('%s drops every table it creates, and only those', (_name, projection) => {
    expect([...projection.tables].sort()).toEqual(tablesOf(projection.schema).sort());
  });
});
