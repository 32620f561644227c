/**
 * @module pki/certlist
 *
 * The kubeadm certificate tree as data, after `cmd/kubeadm/app/phases/certs/certlist.go`
 * (`GetDefaultCertList`), `cmd/kubeadm/app/constants/constants.go` (file base names and CNs) and
 * `cmd/kubeadm/app/util/pkiutil/pki_helpers.go` (`GetAPIServerAltNames`, `GetEtcdAltNames`,
 * `GetEtcdPeerAltNames`).
 *
 * CA common names follow kubeadm's code: `kubernetes`, `front-proxy-ca`, `etcd-ca`. (The
 * "PKI certificates and requirements" docs table, and our seed write-up, call them kubernetes-ca,
 * kubernetes-front-proxy-ca and etcd-ca: those are the CAs' *names*, not the CNs kubeadm writes.)
 *
 * Organizations follow kubeadm >= 1.29 (KEP-4214): `apiserver-kubelet-client` carries
 * O=kubeadm:cluster-admins (bound to cluster-admin by RBAC, so revocable) and the etcd client
 * certificates carry no organization; only super-admin.conf is in system:masters.
 */
import { isIP } from 'node:net';
import type { AltNames } from './cert.js';
import type { KeyUsage } from './usages.js';

/** Cluster-level inputs that shape certificate names and SANs. */
export interface PkiConfig {
  /** Node name (kubeadm: `nodeRegistration.name`, default the host name). */
  nodeName: string;
  /** IP the API server advertises (kubeadm: `localAPIEndpoint.advertiseAddress`). */
  advertiseAddress: string;
  /** Service CIDR(s), comma separated; the first IP of the first one is the `kubernetes` Service IP. */
  serviceCidr: string;
  /** Cluster DNS domain (kubeadm: `networking.dnsDomain`). */
  dnsDomain: string;
  /** Extra apiserver SANs (kubeadm: `apiServer.certSANs`); IPs and DNS names mixed. */
  extraSans: string[];
  /** `host:port` of a load balancer in front of the API servers, if any. */
  controlPlaneEndpoint?: string;
}

export type CaName = 'ca' | 'front-proxy-ca' | 'etcd-ca';
export type LeafName =
  | 'apiserver'
  | 'apiserver-kubelet-client'
  | 'front-proxy-client'
  | 'etcd-server'
  | 'etcd-peer'
  | 'etcd-healthcheck-client'
  | 'apiserver-etcd-client';

export interface CaSpec {
  name: CaName;
  /** Path under `pki/` without extension (kubeadm `*CertAndKeyBaseName`). */
  baseName: string;
  commonName: string;
  longName: string;
}

export interface LeafSpec {
  name: LeafName;
  baseName: string;
  caName: CaName;
  longName: string;
  commonName: (cfg: PkiConfig) => string;
  organizations: string[];
  usages: KeyUsage[];
  altNames?: (cfg: PkiConfig) => AltNames;
}

/** kubeadm leaves carry KeyUsage digitalSignature|keyEncipherment (`pkiutil.NewSignedCert`). */
const SERVER: KeyUsage[] = ['digital signature', 'key encipherment', 'server auth'];
const CLIENT: KeyUsage[] = ['digital signature', 'key encipherment', 'client auth'];
const BOTH: KeyUsage[] = ['digital signature', 'key encipherment', 'server auth', 'client auth'];

/** `constants.MastersGroup`. */
export const MASTERS_GROUP = 'system:masters';
/** kubeadm >= 1.29: the group of admin.conf, bound to cluster-admin by the kubeadm:cluster-admins ClusterRoleBinding. */
export const CLUSTER_ADMINS_GROUP = 'kubeadm:cluster-admins';

export const CA_SPECS: readonly CaSpec[] = [
  {
    name: 'ca',
    baseName: 'ca',
    commonName: 'kubernetes',
    longName: 'self-signed Kubernetes CA to provision identities for other Kubernetes components',
  },
  {
    name: 'front-proxy-ca',
    baseName: 'front-proxy-ca',
    commonName: 'front-proxy-ca',
    longName: 'self-signed CA to provision identities for front proxy',
  },
  {
    name: 'etcd-ca',
    baseName: 'etcd/ca',
    commonName: 'etcd-ca',
    longName: 'self-signed CA to provision identities for etcd',
  },
];

export const LEAF_SPECS: readonly LeafSpec[] = [
  {
    name: 'apiserver',
    baseName: 'apiserver',
    caName: 'ca',
    longName: 'certificate for serving the Kubernetes API',
    commonName: () => 'kube-apiserver',
    organizations: [],
    usages: SERVER,
    altNames: apiServerAltNames,
  },
  {
    name: 'apiserver-kubelet-client',
    baseName: 'apiserver-kubelet-client',
    caName: 'ca',
    longName: 'certificate for the API server to connect to kubelet',
    commonName: () => 'kube-apiserver-kubelet-client',
    organizations: [CLUSTER_ADMINS_GROUP],
    usages: CLIENT,
  },
  {
    name: 'front-proxy-client',
    baseName: 'front-proxy-client',
    caName: 'front-proxy-ca',
    longName: 'certificate for the front proxy client',
    commonName: () => 'front-proxy-client',
    organizations: [],
    usages: CLIENT,
  },
  {
    name: 'etcd-server',
    baseName: 'etcd/server',
    caName: 'etcd-ca',
    longName: 'certificate for serving etcd',
    commonName: (cfg) => cfg.nodeName,
    organizations: [],
    // etcd 3.2+ wants clientAuth on the server cert too (comment in certlist.go).
    usages: BOTH,
    altNames: etcdAltNames,
  },
  {
    name: 'etcd-peer',
    baseName: 'etcd/peer',
    caName: 'etcd-ca',
    longName: 'certificate for etcd nodes to communicate with each other',
    commonName: (cfg) => cfg.nodeName,
    organizations: [],
    usages: BOTH,
    altNames: etcdAltNames,
  },
  {
    name: 'etcd-healthcheck-client',
    baseName: 'etcd/healthcheck-client',
    caName: 'etcd-ca',
    longName: 'certificate for liveness probes to healthcheck etcd',
    commonName: () => 'kube-etcd-healthcheck-client',
    organizations: [],
    usages: CLIENT,
  },
  {
    name: 'apiserver-etcd-client',
    baseName: 'apiserver-etcd-client',
    caName: 'etcd-ca',
    longName: 'certificate the apiserver uses to access etcd',
    commonName: () => 'kube-apiserver-etcd-client',
    organizations: [],
    usages: CLIENT,
  },
];

/** Returns the address at `index` inside a CIDR (IPv4 or IPv6), e.g. `10.96.0.0/12`, 1 -> 10.96.0.1. */
export function indexedIp(cidr: string, index: number): string {
  const [addr, bitsText] = cidr.trim().split('/');
  const family = isIP(addr ?? '');
  const bits = Number(bitsText);
  const width = family === 4 ? 32 : 128;
  if (!family || !Number.isInteger(bits) || bits < 0 || bits > width)
    throw new Error(`invalid CIDR "${cidr}"`);
  let n = family === 4 ? ipv4ToBig(addr) : ipv6ToBig(addr);
  const hostBits = BigInt(width - bits);
  n = (n >> hostBits) << hostBits;
  if (BigInt(index) >= 1n << hostBits) throw new Error(`CIDR "${cidr}" has no address at index ${index}`);
  n += BigInt(index);
  return family === 4 ? bigToIpv4(n) : bigToIpv6(n);
}

function ipv4ToBig(a: string): bigint {
  return a.split('.').reduce((acc, p) => (acc << 8n) + BigInt(Number(p)), 0n);
}
function bigToIpv4(n: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 255n)).join('.');
}
function ipv6ToBig(a: string): bigint {
  const [head, tail] = a.includes('::') ? a.split('::') : [a, undefined];
  const parse = (s: string | undefined): string[] => (s ? s.split(':') : []);
  const h = parse(head);
  const t = parse(tail);
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return groups.reduce((acc, g) => (acc << 16n) + BigInt(parseInt(g, 16)), 0n);
}
function bigToIpv6(n: bigint): string {
  const groups: string[] = [];
  for (let i = 7; i >= 0; i--) groups.push(((n >> BigInt(i * 16)) & 0xffffn).toString(16));
  return groups.join(':');
}

function pushUnique(list: string[], v: string): void {
  if (v && !list.includes(v)) list.push(v);
}

/** Splits mixed SAN strings into DNS names and IPs (kubeadm `appendSANsToAltNames`). */
export function splitSans(sans: readonly string[], into: Required<Pick<AltNames, 'dnsNames' | 'ips'>>): void {
  for (const s of sans.map((x) => x.trim()).filter(Boolean))
    pushUnique(isIP(s) ? into.ips : into.dnsNames, s);
}

/**
 * apiserver SANs: node name, kubernetes, kubernetes.default, kubernetes.default.svc,
 * kubernetes.default.svc.<dnsDomain>, the first Service IP, the advertise address, the control
 * plane endpoint host, extra SANs (kubeadm), plus localhost and 127.0.0.1 so local kubectl works.
 */
export function apiServerAltNames(cfg: PkiConfig): Required<Pick<AltNames, 'dnsNames' | 'ips'>> {
  const firstCidr = cfg.serviceCidr.split(',')[0] ?? '';
  const alt = { dnsNames: [] as string[], ips: [] as string[] };
  for (const d of [
    cfg.nodeName,
    'kubernetes',
    'kubernetes.default',
    'kubernetes.default.svc',
    `kubernetes.default.svc.${cfg.dnsDomain}`,
    'localhost',
  ])
    pushUnique(alt.dnsNames, d);
  for (const ip of [indexedIp(firstCidr, 1), cfg.advertiseAddress, '127.0.0.1']) pushUnique(alt.ips, ip);
  if (cfg.controlPlaneEndpoint) splitSans([hostOf(cfg.controlPlaneEndpoint)], alt);
  splitSans(cfg.extraSans, alt);
  return alt;
}

/** etcd server/peer SANs: node name, localhost, advertise address, 127.0.0.1, ::1 (kubeadm). */
export function etcdAltNames(cfg: PkiConfig): AltNames {
  const alt = { dnsNames: [] as string[], ips: [] as string[] };
  for (const d of [cfg.nodeName, 'localhost']) pushUnique(alt.dnsNames, d);
  for (const ip of [cfg.advertiseAddress, '127.0.0.1', '::1']) pushUnique(alt.ips, ip);
  return alt;
}

/** Host part of `host:port`, `[v6]:port`, or a bare host. */
export function hostOf(endpoint: string): string {
  const e = endpoint.replace(/^https?:\/\//, '');
  if (e.startsWith('[')) return e.slice(1, e.indexOf(']'));
  if (isIP(e) === 6) return e;
  const i = e.lastIndexOf(':');
  return i < 0 ? e : e.slice(0, i);
}
