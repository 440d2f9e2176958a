// Kept for imports not yet moved to ./command (apps/placement-api/src/matching).
export * from './command';
