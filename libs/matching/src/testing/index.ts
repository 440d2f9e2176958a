export * from './builders';
export * from './synthetic-estate';
