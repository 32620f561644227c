/** KubeletConfiguration decoding: v1beta1 defaults (defaults.go), strictness, refused fields. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configzView, decodeKubeletConfiguration, LEGACY_FLAG_DEFAULTS, V1BETA1_DEFAULTS } from './config.js';

const head = 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n';

test('an empty configuration gets the v1beta1 defaults (secure: anonymous off, webhook on, Webhook mode)', () => {
  const c = decodeKubeletConfiguration(head);
  assert.deepEqual(c, V1BETA1_DEFAULTS);
  assert.equal(c.anonymous, false);
  assert.equal(c.webhookAuthentication, true);
  assert.equal(c.authorizationMode, 'Webhook');
  assert.equal(c.port, 10250);
  assert.equal(c.webhookCacheTtlMs, 120_000);
  assert.equal(c.cacheAuthorizedTtlMs, 300_000);
  assert.equal(c.cacheUnauthorizedTtlMs, 30_000);
});

test("the legacy flag defaults (no --config) are seed 003's: anonymous on, AlwaysAllow", () => {
  assert.equal(LEGACY_FLAG_DEFAULTS.anonymous, true);
  assert.equal(LEGACY_FLAG_DEFAULTS.webhookAuthentication, false);
  assert.equal(LEGACY_FLAG_DEFAULTS.authorizationMode, 'AlwaysAllow');
});

test('fields are read', () => {
  const c = decodeKubeletConfiguration(
    head +
      [
        'address: 127.0.0.1',
        'port: 11250',
        'authentication:',
        '  x509: {clientCAFile: /ca.crt}',
        '  webhook: {enabled: false, cacheTTL: 10s}',
        '  anonymous: {enabled: true}',
        'authorization:',
        '  mode: AlwaysAllow',
        '  webhook: {cacheAuthorizedTTL: 1m, cacheUnauthorizedTTL: 5s}',
        'enableDebuggingHandlers: false',
      ].join('\n'),
  );
  assert.equal(c.address, '127.0.0.1');
  assert.equal(c.port, 11250);
  assert.equal(c.clientCAFile, '/ca.crt');
  assert.equal(c.webhookAuthentication, false);
  assert.equal(c.webhookCacheTtlMs, 10_000);
  assert.equal(c.anonymous, true);
  assert.equal(c.authorizationMode, 'AlwaysAllow');
  assert.equal(c.cacheAuthorizedTtlMs, 60_000);
  assert.equal(c.cacheUnauthorizedTtlMs, 5000);
  assert.equal(c.enableDebuggingHandlers, false);
});

test('malformed or unsupported documents are errors', () => {
  const rows: [string, RegExp][] = [
    ['kind: Pod\napiVersion: v1\n', /no kind "Pod" is registered for version "v1"/],
    [head + 'bogus: 1\n', /strict decoding error: unknown field "bogus"/],
    [
      head + 'authentication: {x509: {clientCAFile: a, extra: b}}\n',
      /unknown field "authentication.x509.extra"/,
    ],
    [head + 'readOnlyPort: 10255\n', /"readOnlyPort" is not implemented/],
    [head + 'authorization: {mode: RBAC}\n', /Unsupported value: "RBAC"/],
    [head + 'port: 0\n', /must be between 1 and 65535/],
    [head + 'authentication: {webhook: {cacheTTL: soon}}\n', /invalid duration/],
    [head + 'authentication: {anonymous: {enabled: "yes"}}\n', /must be a boolean/],
    ['{{{', /failed to decode KubeletConfiguration/],
  ];
  for (const [text, want] of rows) assert.throws(() => decodeKubeletConfiguration(text), want, text);
});

test('/configz shows durations as Go prints them', () => {
  const v = configzView(V1BETA1_DEFAULTS) as { kubeletconfig: Record<string, any> };
  assert.equal(v.kubeletconfig.authentication.webhook.cacheTTL, '2m0s');
  assert.equal(v.kubeletconfig.authorization.webhook.cacheAuthorizedTTL, '5m0s');
  assert.equal(v.kubeletconfig.authorization.webhook.cacheUnauthorizedTTL, '30s');
});

test('the node settings: registerNode, nodeStatusUpdateFrequency/ReportFrequency, nodeLeaseDurationSeconds', () => {
  assert.equal(V1BETA1_DEFAULTS.registerNode, true);
  assert.equal(V1BETA1_DEFAULTS.nodeStatusUpdateFrequencyMs, 10_000);
  assert.equal(V1BETA1_DEFAULTS.nodeLeaseDurationSeconds, 40);
  const c = decodeKubeletConfiguration(
    head +
      'registerNode: false\nnodeStatusUpdateFrequency: 4s\nnodeStatusReportFrequency: 1m\nnodeLeaseDurationSeconds: 8\n',
  );
  assert.deepEqual(
    [
      c.registerNode,
      c.nodeStatusUpdateFrequencyMs,
      c.nodeStatusReportFrequencyMs,
      c.nodeLeaseDurationSeconds,
    ],
    [false, 4000, 60_000, 8],
  );
  const v = configzView(c) as { kubeletconfig: Record<string, any> };
  assert.equal(v.kubeletconfig.nodeStatusUpdateFrequency, '4s');
  assert.equal(v.kubeletconfig.nodeStatusReportFrequency, '1m0s');
  assert.throws(
    () => decodeKubeletConfiguration(head + 'nodeLeaseDurationSeconds: 0\n'),
    /must be greater than 0/,
  );
  assert.throws(() => decodeKubeletConfiguration(head + 'registerNode: "no"\n'), /must be a boolean/);
});
