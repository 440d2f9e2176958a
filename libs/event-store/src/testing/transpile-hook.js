// Lets tests spawn `node -r <this> some/file.ts` (the CLI, a second writer process) and run the real
// source without a build (a build would also compile other projects' work in progress).
// Transpile only, like jest; `typecheck` checks the types.
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const ts = require('typescript');

const root = path.resolve(__dirname, '../../../..');
// The workspace aliases (@placement/*), read from tsconfig.base.json so a new alias needs no change here.
const base = ts.readConfigFile(path.join(root, 'tsconfig.base.json'), ts.sys.readFile).config;
const aliases = new Map(
  Object.entries(base.compilerOptions.paths).map(([alias, targets]) => [alias, path.join(root, targets[0])]),
);

const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return resolve.call(this, aliases.get(request) ?? request, ...rest);
};

require.extensions['.ts'] = (module, filename) => {
  const source = fs.readFileSync(filename, 'utf8');
  const { outputText } = ts.transpileModule(source, {
    fileName: filename,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
    },
  });
  module._compile(outputText, filename);
};
