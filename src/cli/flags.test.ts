/**
 * Unit tests for the flag parser's stringArray handling: comma-separated values are split (pflag's
 * StringSlice), except for flags marked `unsplit` whose values carry commas themselves (pflag's
 * NamedCertKeyArray behind kube-apiserver's --tls-sni-cert-key).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseFlags, type FlagSpec } from './flags.js';
import { serveFlags } from './serve-flags.js';

const specs: FlagSpec[] = [
  { name: 'list', type: 'stringArray', default: [], help: '' },
  { name: 'pair', type: 'stringArray', default: [], help: '', unsplit: true },
];

test('stringArray splits on commas; unsplit keeps each occurrence whole', () => {
  const { flags } = parseFlags(specs, [
    '--list=a,b',
    '--list',
    'c',
    '--pair=a.crt,a.key:x.com,y.com',
    '--pair',
    'b.crt,b.key',
  ]);
  assert.deepEqual(flags.list, ['a', 'b', 'c']);
  assert.deepEqual(flags.pair, ['a.crt,a.key:x.com,y.com', 'b.crt,b.key']);
});

test('--tls-sni-cert-key is unsplit', () => {
  const { flags } = parseFlags(serveFlags, ['--tls-sni-cert-key=s.crt,s.key:*.s.com,s.com']);
  assert.deepEqual(flags['tls-sni-cert-key'], ['s.crt,s.key:*.s.com,s.com']);
});
