export * from './shared';
export * from './ssda903-codes';
export * from './setting/types';
export * from './bed/types';
export * from './household/types';
export * from './contract/types';
export * from './referral/types';
export * from './child/types';
