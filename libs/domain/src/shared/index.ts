export * from './errors';
export * from './decider';
export * from './dates';
export * from './types';
export * from './emergency';
export * from './diary';
export * from './past';
export * from './exclusions';
