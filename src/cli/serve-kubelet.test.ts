/** kube-apiserver's kubelet client flags: defaults from the PKI, validation texts. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FlagError, parseFlags } from './flags.js';
import { kubeletClientFlags, kubeletClientFromFlags } from './serve-kubelet.js';

const dir = mkdtempSync(path.join(tmpdir(), 'kubeauth-kubelet-flags-'));
const pki = { certPath: path.join(dir, 'pki.crt'), keyPath: path.join(dir, 'pki.key') };
writeFileSync(pki.certPath, 'PKI CERT');
writeFileSync(pki.keyPath, 'PKI KEY', { mode: 0o600 });
writeFileSync(path.join(dir, 'own.crt'), 'OWN CERT');
writeFileSync(path.join(dir, 'own.key'), 'OWN KEY', { mode: 0o600 });
writeFileSync(path.join(dir, 'ca.crt'), 'CA');

const from = (args: string[], logs: string[] = []) =>
  kubeletClientFromFlags(parseFlags(kubeletClientFlags, args).flags, pki, (m) => logs.push(m));

test('defaults: the PKI pair, no CA (with a warning), upstream address types, 5s', () => {
  const logs: string[] = [];
  const o = from([], logs);
  assert.equal(o.certPem, 'PKI CERT');
  assert.equal(o.keyPem, 'PKI KEY');
  assert.equal(o.caPem, undefined);
  assert.deepEqual(o.preferredAddressTypes, [
    'Hostname',
    'InternalDNS',
    'InternalIP',
    'ExternalDNS',
    'ExternalIP',
  ]);
  assert.equal(o.timeoutMs, 5000);
  assert.match(logs.join('\n'), /not verified: no --kubelet-certificate-authority/);
});

test('explicit flags take effect', () => {
  const logs: string[] = [];
  const o = from(
    [
      '--kubelet-client-certificate',
      path.join(dir, 'own.crt'),
      '--kubelet-client-key',
      path.join(dir, 'own.key'),
      '--kubelet-certificate-authority',
      path.join(dir, 'ca.crt'),
      '--kubelet-preferred-address-types',
      'InternalIP,Hostname',
      '--kubelet-timeout',
      '2s',
    ],
    logs,
  );
  assert.deepEqual(
    [o.certPem, o.keyPem, o.caPem, o.preferredAddressTypes, o.timeoutMs],
    ['OWN CERT', 'OWN KEY', 'CA', ['InternalIP', 'Hostname'], 2000],
  );
  assert.deepEqual(logs, []);
});

test('invalid flags refuse start-up', () => {
  assert.throws(() => from(['--kubelet-client-key', pki.keyPath]), {
    message: '--kubelet-client-certificate and --kubelet-client-key must be given together',
  });
  assert.throws(() => from(['--kubelet-preferred-address-types', 'InternalIP,Bogus']), FlagError);
  assert.throws(() => from(['--kubelet-timeout', '0s']), {
    message: '--kubelet-timeout must be greater than 0',
  });
  assert.throws(
    () => from(['--kubelet-certificate-authority', path.join(dir, 'missing')]),
    /--kubelet-certificate-authority: ENOENT/,
  );
});
