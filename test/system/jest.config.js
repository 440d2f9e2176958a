module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'system',
  rootDir: __dirname,
  // The crash, concurrency, shutdown and backup specs spawn the compiled API: build it once.
  globalSetup: '<rootDir>/src/support/global-setup.ts',
};
