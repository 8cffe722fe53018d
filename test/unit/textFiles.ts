// Under mocha (tsx), `require('./file.py')` gives the file's text, as esbuild's text loader does in
// the bundles (scripts/build.mjs): the PyTorch export's template is such a file.
import { readFileSync } from 'node:fs';

require.extensions['.py'] = (module, filename) => {
  module.exports = readFileSync(filename, 'utf8');
};
