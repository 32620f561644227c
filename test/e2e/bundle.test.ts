/**
 * The bundled CLI (`dist/kubeauth.mjs`, what `npm start` and the `kubeauth` bin run; built by
 * scripts/bundle.mjs) behaves as the unbundled `dist/cli/main.js` the other end-to-end files
 * spawn. A bundle breaks in its own ways: a package that reads files beside itself at run time
 * (etcd3's .proto files through `__dirname`), or a worker file started by path (the CSR signing
 * pool's `csr-sign-worker.js`). So the files that reach those parts run again here, against the
 * bundle (harness.ts honours KUBEAUTH_MAIN_JS).
 *
 * @module
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { repoRoot, run } from './harness.js';

const bundle = path.join(repoRoot, 'dist/kubeauth.mjs');

test('the bundle starts: --help of serve and kubelet', async () => {
  for (const cmd of ['serve', 'kubelet', 'proxy']) {
    const r = await run(process.execPath, [bundle, cmd, '--help']);
    assert.equal(r.code, 0, `${cmd}: ${r.stderr}`);
    assert.match(r.stdout, /Usage:/);
  }
});

test('CSR signing (worker pool) and etcd storage through the bundle', async () => {
  const files = ['test/e2e/csr.test.ts', 'test/e2e/etcd-serve.test.ts'].map((f) => path.join(repoRoot, f));
  // A clean environment: NODE_TEST_CONTEXT (set for this file by the runner) would make the
  // nested runner report to us in its binary protocol instead of TAP.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_TEST_CONTEXT'));
  const r = await new Promise<{ code: number; stdout: string }>((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', '--test', '--test-concurrency=1', ...files],
      {
        env: { ...env, KUBEAUTH_MAIN_JS: 'dist/kubeauth.mjs' },
        cwd: repoRoot,
        timeout: 300_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (err, stdout) => resolve({ code: err ? 1 : 0, stdout: String(stdout) }),
    );
  });
  assert.equal(
    r.code,
    0,
    r.stdout
      .split('\n')
      .filter((l) => /not ok|error|Error/.test(l))
      .slice(0, 40)
      .join('\n'),
  );
  assert.match(r.stdout, /^# fail 0$/m);
  assert.doesNotMatch(r.stdout, /^# pass 0$/m);
});
