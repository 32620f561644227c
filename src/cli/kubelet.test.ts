/**
 * `kubeauth kubelet` flags: the legacy defaults without --config (seed 003), the file's v1beta1
 * defaults with it, flags given on the command line winning, and start-up refusals.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseFlags, refuseNotYetSupported } from './flags.js';
import { kubeletFlags } from './kubelet-flags.js';
import { effectiveConfig, run } from './kubelet.js';

const cfg = (argv: string[]) => {
  const p = parseFlags(kubeletFlags, argv);
  return effectiveConfig(p.flags, p.set);
};

test('without --config: anonymous on, webhook authentication off, AlwaysAllow, upstream TTLs', () => {
  const c = cfg([]);
  assert.equal(c.anonymous, true);
  assert.equal(c.webhookAuthentication, false);
  assert.equal(c.authorizationMode, 'AlwaysAllow');
  assert.equal(c.port, 10250);
  assert.equal(c.address, '0.0.0.0');
  assert.equal(c.webhookCacheTtlMs, 120_000);
  assert.equal(c.cacheAuthorizedTtlMs, 300_000);
  assert.equal(c.cacheUnauthorizedTtlMs, 30_000);
});

test('with --config: the file over v1beta1 defaults, then only the flags given', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubelet-cfg-'));
  const file = path.join(dir, 'c.yaml');
  writeFileSync(file, 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nport: 11250\n');
  const c = cfg(['--config', file]);
  assert.equal(c.port, 11250);
  assert.equal(c.anonymous, false, 'v1beta1 default, not the flag default');
  assert.equal(c.authorizationMode, 'Webhook');
  const d = cfg([
    '--config',
    file,
    '--port',
    '12250',
    '--anonymous-auth=true',
    '--authorization-mode',
    'AlwaysAllow',
  ]);
  assert.deepEqual([d.port, d.anonymous, d.authorizationMode], [12250, true, 'AlwaysAllow']);
  assert.throws(
    () => cfg(['--config', path.join(dir, 'missing.yaml')]),
    /failed to load Kubelet config file/,
  );
});

test('refusals: bad mode, port, TLS pair, unimplemented flags, webhook without a client', async () => {
  assert.throws(() => cfg(['--authorization-mode', 'RBAC']), /Unsupported value: "RBAC"/);
  assert.throws(() => cfg(['--port', '0']), /must be between 1 and 65535/);
  assert.throws(() => cfg(['--tls-cert-file', 'a.crt']), /must be given together/);
  for (const f of ['--read-only-port=10255', '--healthz-port=10248']) {
    const p = parseFlags(kubeletFlags, [f]);
    assert.throws(() => refuseNotYetSupported(kubeletFlags, p.set), /refusing to start/, f);
  }
  await assert.rejects(
    run(['--authentication-token-webhook']),
    /no client provided, cannot use webhook authentication/,
  );
  await assert.rejects(
    run(['--authorization-mode', 'Webhook']),
    /no client provided, cannot use webhook authorization/,
  );
  await assert.rejects(run(['--anonymous-auth=false']), /no authentication method configured/);
  await assert.rejects(run(['--node-name', 'a', '--hostname-override', 'b']), /disagree/);
});

test('--node-ip must be IP addresses', async () => {
  await assert.rejects(run(['--node-ip', '10.0.0.1,not-an-ip']), /--node-ip: invalid IP address "not-an-ip"/);
});

test('rotateCertificates / serverTLSBootstrap from the file, the flags winning; off by default', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubelet-cfg-rot-'));
  const file = path.join(dir, 'c.yaml');
  writeFileSync(
    file,
    'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nrotateCertificates: true\nserverTLSBootstrap: true\n',
  );
  assert.equal(cfg([]).rotateCertificates, false);
  assert.equal(cfg([]).serverTLSBootstrap, false);
  assert.equal(cfg(['--config', file]).rotateCertificates, true);
  assert.equal(cfg(['--config', file]).serverTLSBootstrap, true);
  assert.equal(cfg(['--config', file, '--rotate-server-certificates=false']).serverTLSBootstrap, false);
  assert.equal(cfg(['--rotate-certificates']).rotateCertificates, true);
});

test('node settings: the flags (legacy defaults), and over a --config file only when given', () => {
  const c = cfg(['--node-status-update-frequency', '2s', '--register-node=false']);
  assert.deepEqual(
    [c.nodeStatusUpdateFrequencyMs, c.registerNode, c.nodeLeaseDurationSeconds],
    [2000, false, 40],
  );
  const dir = mkdtempSync(path.join(tmpdir(), 'kubelet-cfg-node-'));
  const file = path.join(dir, 'node.yaml');
  writeFileSync(
    file,
    'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nnodeLeaseDurationSeconds: 8\nregisterNode: false\n',
  );
  const d = cfg(['--config', file, '--node-lease-duration-seconds', '12']);
  assert.deepEqual(
    [d.nodeLeaseDurationSeconds, d.registerNode, d.nodeStatusUpdateFrequencyMs],
    [12, false, 10_000],
  );
});
