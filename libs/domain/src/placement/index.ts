export * from './types';
export * from './flow';
export * from './reconcile';
export * from './referral-open';
export * from './flags';
