// `kubeauth who-can`: see access.ts.
export { runWhoCan as run } from './access.js';
