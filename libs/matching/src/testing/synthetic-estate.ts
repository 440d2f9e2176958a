// The generator lives outside testing/ so the bench and the CLI's national seed can use the build.
export * from '../synthetic/synthetic-estate';
