/** `kubeauth proxy` start-up checks (kube-rbac-proxy's options validation and ours). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { run } from './proxy.js';

test('refusals before anything listens', async () => {
  const rows: [string[], RegExp][] = [
    [[], /--upstream is required/],
    [['--upstream', '::bad'], /failed to parse upstream URL/],
    [['--upstream', 'ftp://x/'], /scheme must be http or https/],
    [['--upstream', 'http://127.0.0.1:1/'], /--secure-listen-address is required/],
    [['--upstream', 'http://127.0.0.1:1/', '--secure-listen-address', 'nope'], /want host:port/],
    [
      [
        '--upstream',
        'http://x/',
        '--secure-listen-address',
        ':8443',
        '--allow-paths',
        '/a',
        '--ignore-paths',
        '/b',
      ],
      /cannot use --allow-paths and --ignore-paths together/,
    ],
    [
      ['--upstream', 'http://x/', '--secure-listen-address', ':8443', '--tls-min-version', 'VersionTLS10'],
      /unknown tls version/,
    ],
    [
      ['--upstream', 'http://x/', '--secure-listen-address', ':8443', '--tls-cert-file', 'a'],
      /must be given together/,
    ],
    [
      ['--upstream', 'http://x/', '--secure-listen-address', ':8443', '--oidc-issuer', 'https://i'],
      /refusing to start/,
    ],
    [
      ['--upstream', 'http://x/', '--secure-listen-address', ':8443', '--upstream-force-h2c'],
      /refusing to start/,
    ],
  ];
  for (const [argv, want] of rows) await assert.rejects(run(argv), want, argv.join(' '));
});
