module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'ssda903',
  rootDir: __dirname,
};
