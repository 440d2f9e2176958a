export * from './given';
export * from './events';
