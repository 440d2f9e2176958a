// Resolves the workspace's @placement/* aliases to the compiled output in dist/,
// so `node dist/...` runs the same code the tests ran, without a bundler.
const path = require('node:path');
const tsConfigPaths = require('tsconfig-paths');
const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');
const libs = ['domain', 'matching', 'event-store', 'projections', 'ssda903', 'web', 'test-support'];
const paths = {};
for (const lib of libs) paths[`@placement/${lib}`] = [`libs/${lib}/src/index.js`];
// The seeds build their referrals' needs with the domain's testing builders.
paths['@placement/domain/testing'] = ['libs/domain/src/testing/index.js'];
// The benches replay the projections' synthetic log.
paths['@placement/projections/testing'] = ['libs/projections/src/testing/index.js'];
paths['@placement/api'] = ['apps/placement-api/src/testing.js'];
tsConfigPaths.register({ baseUrl: dist, paths });
