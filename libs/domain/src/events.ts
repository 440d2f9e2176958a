import type { BedEvent } from './bed/types';
import type { ChildEvent } from './child/types';
import type { ContractEvent } from './contract/types';
import type { HouseholdEvent } from './household/types';
import type { ReferralEvent } from './referral/types';
import type { SettingEvent } from './setting/types';

/**
 * Every event the domain writes, discriminated by `type`. A read model folds these (read
 * through `upcast`, so in their current shape) and narrows by switching on `type`.
 */
export type DomainEvent = SettingEvent | BedEvent | HouseholdEvent | ContractEvent | ReferralEvent | ChildEvent;
