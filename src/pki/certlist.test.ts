/** Unit tests for pki/certlist: Service IP arithmetic and kubeadm SAN lists. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  apiServerAltNames,
  CA_SPECS,
  etcdAltNames,
  hostOf,
  indexedIp,
  LEAF_SPECS,
  type PkiConfig,
} from './certlist.js';

test('indexedIp', () => {
  const rows: [string, number, string][] = [
    ['10.96.0.0/12', 1, '10.96.0.1'],
    ['10.100.7.9/12', 1, '10.96.0.1'],
    ['10.0.0.0/24', 10, '10.0.0.10'],
    ['192.168.0.0/16', 256, '192.168.1.0'],
    ['fd00:10:96::/112', 1, 'fd00:10:96:0:0:0:0:1'],
  ];
  for (const [cidr, i, want] of rows) assert.equal(indexedIp(cidr, i), want, cidr);
  assert.throws(() => indexedIp('10.0.0.0/33', 1), /invalid CIDR/);
  assert.throws(() => indexedIp('nope', 1), /invalid CIDR/);
  assert.throws(() => indexedIp('10.0.0.1/32', 1), /no address/);
});

test('hostOf', () => {
  assert.equal(hostOf('kube.example.com:6443'), 'kube.example.com');
  assert.equal(hostOf('10.0.0.1:6443'), '10.0.0.1');
  assert.equal(hostOf('[fd00::1]:6443'), 'fd00::1');
  assert.equal(hostOf('lb'), 'lb');
});

const cfg: PkiConfig = {
  nodeName: 'cp-1',
  advertiseAddress: '192.0.2.2',
  serviceCidr: '10.96.0.0/12',
  dnsDomain: 'cluster.local',
  extraSans: ['lb.example.com', '203.0.113.7', 'kubernetes'],
  controlPlaneEndpoint: 'kube.example.com:6443',
};

test('apiserver SANs follow kubeadm GetAPIServerAltNames (+ localhost/127.0.0.1), deduplicated', () => {
  const alt = apiServerAltNames(cfg);
  assert.deepEqual(alt.dnsNames, [
    'cp-1',
    'kubernetes',
    'kubernetes.default',
    'kubernetes.default.svc',
    'kubernetes.default.svc.cluster.local',
    'localhost',
    'kube.example.com',
    'lb.example.com',
  ]);
  assert.deepEqual(alt.ips, ['10.96.0.1', '192.0.2.2', '127.0.0.1', '203.0.113.7']);
});

test('etcd SANs and the spec table', () => {
  assert.deepEqual(etcdAltNames(cfg), {
    dnsNames: ['cp-1', 'localhost'],
    ips: ['192.0.2.2', '127.0.0.1', '::1'],
  });
  assert.deepEqual(
    CA_SPECS.map((s) => [s.baseName, s.commonName]),
    [
      ['ca', 'kubernetes'],
      ['front-proxy-ca', 'front-proxy-ca'],
      ['etcd/ca', 'etcd-ca'],
    ],
  );
  const byName = Object.fromEntries(LEAF_SPECS.map((s) => [s.name, s]));
  assert.equal(byName['apiserver'].commonName(cfg), 'kube-apiserver');
  assert.equal(byName['etcd-server'].commonName(cfg), 'cp-1');
  assert.deepEqual(byName['apiserver-kubelet-client'].organizations, ['kubeadm:cluster-admins']);
  assert.equal(byName['front-proxy-client'].caName, 'front-proxy-ca');
  assert.ok(
    byName['etcd-peer'].usages.includes('server auth') && byName['etcd-peer'].usages.includes('client auth'),
  );
});
