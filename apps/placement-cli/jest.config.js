module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'placement-cli',
  rootDir: __dirname,
};
