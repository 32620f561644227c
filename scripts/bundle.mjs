/**
 * Bundles the built CLI (dist/cli/main.js) and its dependencies into one ES module,
 * dist/kubeauth.mjs, with esbuild (installed with tsx). Why: `kubeauth serve` loads about 750
 * modules (280 of ours, the rest @peculiar/x509's asn1 packages, protobuf, CEL, yaml, jose); on
 * Node 20, which has no module compile cache, resolving and reading them took ~450–800 ms of a
 * 1.2 s fresh start, more than the PKI and the server together. One file loads in ~120 ms.
 *
 * better-sqlite3 and etcd3 stay external (loaded from node_modules, see below); `require` is provided
 * for the CommonJS packages inside the bundle. dist/cli/main.js keeps working unbundled (the tests
 * spawn it); both run the same code.
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // Native addons, and packages that read their own files beside them at run time (etcd3 loads
  // its .proto files from __dirname), are loaded from node_modules.
  external: ['better-sqlite3', 'etcd3'],
  banner: {
    js: "import { createRequire as __kubeauthCreateRequire } from 'node:module';\nconst require = __kubeauthCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
};
await build({
  ...common,
  entryPoints: [path.join(root, 'dist/cli/main.js')],
  outfile: path.join(root, 'dist/kubeauth.mjs'),
});
// The CSR signing pool starts `./csr-sign-worker.js` beside the module that runs it: beside the
// bundle, that is dist/csr-sign-worker.js.
await build({
  ...common,
  entryPoints: [path.join(root, 'dist/controllers/csr-sign-worker.js')],
  outfile: path.join(root, 'dist/csr-sign-worker.js'),
});
