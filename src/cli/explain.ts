// `kubeauth explain`: see access.ts.
export { runExplain as run } from './access.js';
