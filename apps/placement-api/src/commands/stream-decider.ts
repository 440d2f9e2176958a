// Kept for imports not yet moved to ./command and ./handle (apps/placement-api/src/matching).
export * from './command';
export * from './handle';
