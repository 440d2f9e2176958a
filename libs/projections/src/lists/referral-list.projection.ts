import type { MatchingMeetingHeld } from '@placement/domain';
import { foldOf, type Projection, tablesOf } from '../projection';
import { setRow } from './set-row';

/**
 * Referrals as a placement team works them: in the order received, with their status
 * (open, placed, closed without a placement, withdrawn), urgency, wanted start date and
 * latest matching meeting. `list_referral_homes` links a referral to each home it was
 * considered for (a bed held, a matching meeting about the home), which is how a residential
 * manager's list is limited to their homes.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS list_referrals (
  referral_id TEXT PRIMARY KEY, received_position INTEGER NOT NULL, child_id TEXT NOT NULL, urgency TEXT NOT NULL,
  start_date TEXT NOT NULL, received_at TEXT NOT NULL, requested_by_role TEXT NOT NULL, requested_by_team TEXT NOT NULL,
  sex TEXT NOT NULL, age_at_start INTEGER NOT NULL, status TEXT NOT NULL, meetings INTEGER NOT NULL,
  latest_meeting TEXT, placement_id TEXT, closed_at TEXT, withdrawn_reason TEXT, position INTEGER NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS list_referrals_order ON list_referrals (received_position);
CREATE TABLE IF NOT EXISTS list_referral_homes (
  referral_id TEXT NOT NULL, setting_id TEXT NOT NULL, PRIMARY KEY (referral_id, setting_id));
CREATE INDEX IF NOT EXISTS list_referral_homes_setting ON list_referral_homes (setting_id);
`;

/** The latest matching meeting, as the list shows it. */
export interface ListedMeeting {
  readonly meetingId: string;
  readonly heldOn: string;
  readonly decision: MatchingMeetingHeld['data']['decision'];
  readonly unitConsidered: MatchingMeetingHeld['data']['unitConsidered'];
}

const fold = foldOf({
  ReferralReceived(d, tx, at) {
    tx.run(
      `INSERT OR REPLACE INTO list_referrals (referral_id, received_position, child_id, urgency, start_date,
         received_at,
         requested_by_role, requested_by_team, sex, age_at_start, status, meetings, latest_meeting, placement_id,
         closed_at,
         withdrawn_reason, position)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', 0, NULL, NULL, NULL, NULL, ?)`,
      d.referralId,
      at,
      d.childId,
      d.urgency,
      d.startDate,
      d.at,
      d.requestedBy.role,
      d.requestedBy.team,
      d.needs.sex,
      d.needs.ageAtStart,
      at,
    );
  },
  NeedsUpdated(d, tx, at) {
    setRow(tx, 'list_referrals', d.referralId, 'sex = ?, age_at_start = ?', [d.needs.sex, d.needs.ageAtStart], at);
  },
  MatchingMeetingHeld(d, tx, at) {
    const meeting: ListedMeeting = {
      meetingId: d.meetingId,
      heldOn: d.heldOn,
      decision: d.decision,
      unitConsidered: d.unitConsidered,
    };
    setRow(
      tx,
      'list_referrals',
      d.referralId,
      'meetings = meetings + 1, latest_meeting = ?',
      [JSON.stringify(meeting)],
      at,
    );
    if (d.unitConsidered.kind === 'setting')
      tx.run(
        'INSERT OR IGNORE INTO list_referral_homes (referral_id, setting_id) VALUES (?, ?)',
        d.referralId,
        d.unitConsidered.settingId,
      );
  },
  BedHeld(d, tx) {
    tx.run(
      'INSERT OR IGNORE INTO list_referral_homes (referral_id, setting_id) VALUES (?, ?)',
      d.referralId,
      d.settingId,
    );
  },
  ReferralWithdrawn(d, tx, at) {
    setRow(
      tx,
      'list_referrals',
      d.referralId,
      "status = 'withdrawn', withdrawn_reason = ?, closed_at = ?",
      [d.reason, d.at],
      at,
    );
  },
  ReferralClosed(d, tx, at) {
    const status = d.outcome === 'placed' ? 'placed' : 'closed';
    setRow(
      tx,
      'list_referrals',
      d.referralId,
      'status = ?, placement_id = ?, closed_at = ?',
      [status, d.placementId, d.at],
      at,
    );
  },
});

export const referralListProjection: Projection = {
  name: 'referral-list',
  version: 1,
  tables: tablesOf(SCHEMA),
  schema: SCHEMA,
  ...fold,
};
