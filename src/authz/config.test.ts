/**
 * AuthorizationConfiguration parsing, after staging/src/k8s.io/apiserver/pkg/apis/apiserver/
 * validation/validation_test.go `TestValidateAuthorizationConfiguration`: one row per error with
 * upstream's aggregated text; plus defaults, the legacy flags and Go durations.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import {
  AuthorizationConfigError,
  legacyAuthorizerConfigs,
  parseAuthorizationConfiguration,
} from './config.js';
import { formatGoDuration, parseGoDuration } from './duration.js';

const dir = mkdtempSync(join(tmpdir(), 'authz-config-'));
const kubeconfig = join(dir, 'webhook.kubeconfig');
writeFileSync(kubeconfig, 'apiVersion: v1\nkind: Config\n');

const webhook = (over: Record<string, unknown> = {}) => ({
  timeout: '3s',
  subjectAccessReviewVersion: 'v1',
  failurePolicy: 'NoOpinion',
  connectionInfo: { type: 'KubeConfigFile', kubeConfigFile: kubeconfig },
  ...over,
});
const doc = (authorizers: unknown[], apiVersion = 'apiserver.config.k8s.io/v1') =>
  stringify({ apiVersion, kind: 'AuthorizationConfiguration', authorizers });

test('a valid configuration becomes an ordered list with defaults applied', () => {
  for (const v of ['v1', 'v1beta1', 'v1alpha1']) {
    const got = parseAuthorizationConfiguration(
      doc(
        [
          { type: 'Node', name: 'node' },
          {
            type: 'Webhook',
            name: 'first',
            webhook: webhook({ authorizedTTL: '1m', failurePolicy: 'Deny' }),
          },
          { type: 'RBAC', name: 'rbac' },
          {
            type: 'Webhook',
            name: 'in-cluster',
            webhook: webhook({ connectionInfo: { type: 'InClusterConfig' } }),
          },
        ],
        `apiserver.config.k8s.io/${v}`,
      ),
    );
    assert.deepEqual(got, [
      { type: 'Node', name: 'node' },
      {
        type: 'Webhook',
        name: 'first',
        webhook: {
          name: 'first',
          timeoutMs: 3000,
          authorizedTTLMs: 60_000,
          unauthorizedTTLMs: 30_000,
          subjectAccessReviewVersion: 'v1',
          failurePolicy: 'Deny',
          connectionInfo: { type: 'KubeConfigFile', kubeConfigFile: kubeconfig },
        },
      },
      { type: 'RBAC', name: 'rbac' },
      {
        type: 'Webhook',
        name: 'in-cluster',
        webhook: {
          name: 'in-cluster',
          timeoutMs: 3000,
          authorizedTTLMs: 300_000,
          unauthorizedTTLMs: 30_000,
          subjectAccessReviewVersion: 'v1',
          failurePolicy: 'NoOpinion',
          connectionInfo: { type: 'InClusterConfig' },
        },
      },
    ]);
  }
});

const rows: [string, unknown[], string][] = [
  ['no authorizers', [], 'authorizers: Required value: at least one authorization mode must be defined'],
  ['missing type', [{ name: 'x' }], 'authorizers[0].type: Required value'],
  [
    'unknown type',
    [{ type: 'Foo', name: 'x' }],
    'authorizers[0].type: Unsupported value: "Foo": supported values: "ABAC", "AlwaysAllow", "AlwaysDeny", "Node", "RBAC", "Webhook"',
  ],
  [
    'duplicate type',
    [
      { type: 'RBAC', name: 'a' },
      { type: 'RBAC', name: 'b' },
    ],
    'authorizers[1].type: Duplicate value: "RBAC"',
  ],
  ['missing name', [{ type: 'RBAC' }], 'authorizers[0].name: Required value'],
  [
    'duplicate name',
    [
      { type: 'Webhook', name: 'a', webhook: webhook() },
      { type: 'Webhook', name: 'a', webhook: webhook() },
    ],
    'authorizers[1].name: Duplicate value: "a"',
  ],
  [
    'bad name',
    [{ type: 'RBAC', name: 'Bad_Name' }],
    `authorizers[0].name: Invalid value: "Bad_Name": authorizer name is invalid: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
  ],
  [
    'webhook missing',
    [{ type: 'Webhook', name: 'w' }],
    'authorizers[0].webhook: Required value: required when type=Webhook',
  ],
  [
    'webhook on another type',
    [{ type: 'RBAC', name: 'r', webhook: webhook() }],
    'authorizers[0].webhook: Invalid value: "non-null": may only be specified when type=Webhook',
  ],
  [
    'timeout missing',
    [{ type: 'Webhook', name: 'w', webhook: webhook({ timeout: undefined }) }],
    'authorizers[0].timeout: Required value',
  ],
  [
    'timeout too long',
    [{ type: 'Webhook', name: 'w', webhook: webhook({ timeout: '1m' }) }],
    'authorizers[0].timeout: Invalid value: "1m0s": must be > 0s and <= 30s',
  ],
  [
    'negative ttl',
    [{ type: 'Webhook', name: 'w', webhook: webhook({ authorizedTTL: '-1s' }) }],
    'authorizers[0].authorizedTTL: Invalid value: "-1s": must be > 0s',
  ],
  [
    'sar version missing',
    [{ type: 'Webhook', name: 'w', webhook: webhook({ subjectAccessReviewVersion: undefined }) }],
    'authorizers[0].subjectAccessReviewVersion: Required value',
  ],
  [
    'sar version unknown',
    [{ type: 'Webhook', name: 'w', webhook: webhook({ subjectAccessReviewVersion: 'v2' }) }],
    'authorizers[0].subjectAccessReviewVersion: Unsupported value: "v2": supported values: "v1", "v1beta1"',
  ],
  [
    'match condition version unknown',
    [
      {
        type: 'Webhook',
        name: 'w',
        webhook: webhook({ matchConditionSubjectAccessReviewVersion: 'v1beta1' }),
      },
    ],
    'authorizers[0].matchConditionSubjectAccessReviewVersion: Unsupported value: "v1beta1": supported values: "v1"',
  ],
  [
    'failure policy missing',
    [{ type: 'Webhook', name: 'w', webhook: webhook({ failurePolicy: undefined }) }],
    'authorizers[0].failurePolicy: Required value',
  ],
  [
    'failure policy unknown',
    [{ type: 'Webhook', name: 'w', webhook: webhook({ failurePolicy: 'Allow' }) }],
    'authorizers[0].failurePolicy: Unsupported value: "Allow": supported values: "NoOpinion", "Deny"',
  ],
  [
    'connection type missing',
    [{ type: 'Webhook', name: 'w', webhook: webhook({ connectionInfo: {} }) }],
    'authorizers[0].connectionInfo.type: Required value',
  ],
  [
    'kubeconfig with in-cluster',
    [
      {
        type: 'Webhook',
        name: 'w',
        webhook: webhook({ connectionInfo: { type: 'InClusterConfig', kubeConfigFile: kubeconfig } }),
      },
    ],
    `authorizers[0].connectionInfo.kubeConfigFile: Invalid value: "${kubeconfig}": can only be set when type=KubeConfigFile`,
  ],
  [
    'kubeconfig missing',
    [{ type: 'Webhook', name: 'w', webhook: webhook({ connectionInfo: { type: 'KubeConfigFile' } }) }],
    'authorizers[0].connectionInfo.kubeConfigFile: Required value',
  ],
  [
    'kubeconfig relative',
    [
      {
        type: 'Webhook',
        name: 'w',
        webhook: webhook({ connectionInfo: { type: 'KubeConfigFile', kubeConfigFile: 'rel.yaml' } }),
      },
    ],
    'authorizers[0].connectionInfo.kubeConfigFile: Invalid value: "rel.yaml": must be an absolute path',
  ],
  [
    'kubeconfig absent',
    [
      {
        type: 'Webhook',
        name: 'w',
        webhook: webhook({ connectionInfo: { type: 'KubeConfigFile', kubeConfigFile: '/nonexistent/k' } }),
      },
    ],
    'authorizers[0].connectionInfo.kubeConfigFile: Invalid value: "/nonexistent/k": error loading file: stat /nonexistent/k: no such file or directory',
  ],
  [
    'kubeconfig is a directory',
    [
      {
        type: 'Webhook',
        name: 'w',
        webhook: webhook({ connectionInfo: { type: 'KubeConfigFile', kubeConfigFile: dir } }),
      },
    ],
    `authorizers[0].connectionInfo.kubeConfigFile: Invalid value: "${dir}": must be a regular file`,
  ],
  [
    'match conditions need a version, and are not supported',
    [{ type: 'Webhook', name: 'w', webhook: webhook({ matchConditions: [{ expression: 'true' }] }) }],
    '[authorizers[0].matchConditionSubjectAccessReviewVersion: Required value: required if match conditions are specified, authorizers[0].matchConditions: Forbidden: not supported: kubeauth does not evaluate CEL match conditions]',
  ],
  [
    'several errors are aggregated in order',
    [
      { type: 'RBAC' },
      { type: 'Webhook', name: 'w', webhook: webhook({ timeout: '0s', failurePolicy: '' }) },
    ],
    '[authorizers[0].name: Required value, authorizers[1].timeout: Required value, authorizers[1].failurePolicy: Required value]',
  ],
];

for (const [name, authorizers, want] of rows) {
  test(`invalid: ${name}`, () => {
    assert.throws(
      () => parseAuthorizationConfiguration(doc(authorizers)),
      (e: unknown) => e instanceof AuthorizationConfigError && e.message === want,
    );
  });
}

test('wrong kind or version, bad durations', () => {
  assert.throws(
    () => parseAuthorizationConfiguration(doc([{ type: 'RBAC', name: 'r' }], 'apiserver.config.k8s.io/v9')),
    /no kind "AuthorizationConfiguration" is registered for version "apiserver.config.k8s.io\/v9"/,
  );
  assert.throws(
    () =>
      parseAuthorizationConfiguration(
        doc([{ type: 'Webhook', name: 'w', webhook: webhook({ timeout: '3 seconds' }) }]),
      ),
    /time: invalid duration "3 seconds"/,
  );
});

test('legacy flags: --authorization-mode=Node,Webhook,RBAC', () => {
  assert.deepEqual(
    legacyAuthorizerConfigs({ modes: ['Node', 'Webhook', 'RBAC'], webhookConfigFile: '/etc/w.yaml' }),
    [
      { type: 'Node', name: 'node' },
      {
        type: 'Webhook',
        name: 'default',
        webhook: {
          name: 'default',
          timeoutMs: 30_000,
          authorizedTTLMs: 300_000,
          unauthorizedTTLMs: 30_000,
          subjectAccessReviewVersion: 'v1beta1',
          failurePolicy: 'NoOpinion',
          connectionInfo: { type: 'KubeConfigFile', kubeConfigFile: '/etc/w.yaml' },
        },
      },
      { type: 'RBAC', name: 'rbac' },
    ],
  );
  assert.throws(
    () => legacyAuthorizerConfigs({ modes: ['Webhook'] }),
    /requires --authorization-webhook-config-file/,
  );
});

test('Go durations', () => {
  const rows: [string, number, string][] = [
    ['0', 0, '0s'],
    ['300ms', 300, '300ms'],
    ['1.5s', 1500, '1.5s'],
    ['30s', 30_000, '30s'],
    ['1m', 60_000, '1m0s'],
    ['1h2m3s', 3_723_000, '1h2m3s'],
    ['-1s', -1000, '-1s'],
    ['1m30s', 90_000, '1m30s'],
  ];
  for (const [s, ms, back] of rows) {
    assert.equal(parseGoDuration(s), ms, s);
    assert.equal(formatGoDuration(ms), back, s);
  }
  for (const bad of ['', '5', 's', '1x', '1.5.5s'])
    assert.throws(() => parseGoDuration(bad), /time: invalid duration/);
});
