module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'placement-api',
  rootDir: __dirname,
};
