/**
 * End-to-end test of the PKI commands: runs the built CLI (`dist/cli/main.js`, built in `before`)
 * in a temp dir and checks the output with the real `openssl` (chain verification, SANs, subjects,
 * validity windows via -checkend), file modes, idempotence of `init`, `kubeconfig` issuing,
 * `certs check-expiration` / `certs renew`, and a mutual-TLS handshake with the generated files.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'dist', 'cli', 'main.js');
let dir: string;
let pki: string;

function kubeauth(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
function openssl(...args: string[]): { code: number; out: string } {
  const r = spawnSync('openssl', args, { encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout + r.stderr };
}
const mode = (p: string) => statSync(p).mode & 0o777;
const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

const CAS = { ca: 'ca.crt', 'front-proxy-ca': 'front-proxy-ca.crt', 'etcd-ca': 'etcd/ca.crt' } as const;
// [file base, CA, openssl purpose, expected subject (RFC 2253, as openssl prints it)]
const LEAVES: [string, keyof typeof CAS, string, string][] = [
  ['apiserver', 'ca', 'sslserver', 'CN=kube-apiserver'],
  [
    'apiserver-kubelet-client',
    'ca',
    'sslclient',
    'CN=kube-apiserver-kubelet-client,O=kubeadm:cluster-admins',
  ],
  ['front-proxy-client', 'front-proxy-ca', 'sslclient', 'CN=front-proxy-client'],
  ['etcd/server', 'etcd-ca', 'sslserver', 'CN=cp-1'],
  ['etcd/peer', 'etcd-ca', 'sslclient', 'CN=cp-1'],
  ['etcd/healthcheck-client', 'etcd-ca', 'sslclient', 'CN=kube-etcd-healthcheck-client'],
  ['apiserver-etcd-client', 'etcd-ca', 'sslclient', 'CN=kube-apiserver-etcd-client'],
];
const ALL_FILES = [
  ...Object.values(CAS).flatMap((c) => [c, c.replace(/\.crt$/, '.key')]),
  ...LEAVES.flatMap(([b]) => [`${b}.crt`, `${b}.key`]),
  'sa.key',
  'sa.pub',
].map((f) => join('pki', f));

let initOut: { code: number; stdout: string; stderr: string };
let initMs = 0;

before(() => {
  execFileSync(
    process.execPath,
    [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')],
    {
      stdio: 'inherit',
    },
  );
  dir = mkdtempSync(join(tmpdir(), 'kubeauth-e2e-pki-'));
  pki = join(dir, 'pki');
  const t = performance.now();
  initOut = kubeauth(
    'init',
    '--data-dir',
    dir,
    '--apiserver-advertise-address',
    '192.0.2.10',
    '--apiserver-cert-extra-sans',
    'lb.example.com,203.0.113.5',
    '--control-plane-endpoint',
    'kube.example.com:6443',
    '--node-name',
    'cp-1',
  );
  initMs = performance.now() - t;
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('init succeeds, reports the files and the KUBECONFIG export', () => {
  assert.equal(initOut.code, 0, initOut.stderr);
  assert.match(
    initOut.stdout,
    new RegExp(`export KUBECONFIG=${join(dir, 'admin.conf').replace(/\//g, '\\/')}`),
  );
  assert.match(initOut.stdout, /Wrote 24 files/);
  assert.doesNotMatch(initOut.stdout + initOut.stderr, /PRIVATE KEY/);
  process.stdout.write(`# init wall time (process start to exit): ${Math.round(initMs)} ms\n`);
});

test('every leaf verifies against its CA with openssl, for its purpose, with the kubeadm subject', () => {
  for (const [base, caName, purpose, subject] of LEAVES) {
    const crt = join(pki, `${base}.crt`);
    const v = openssl('verify', '-CAfile', join(pki, CAS[caName]), '-purpose', purpose, crt);
    assert.equal(v.code, 0, `${base}: ${v.out}`);
    assert.match(v.out, /: OK/);
    const s = openssl('x509', '-in', crt, '-noout', '-subject', '-nameopt', 'RFC2253');
    assert.equal(s.out.trim(), `subject=${subject}`, base);
    // and it must not verify against an unrelated CA
    const other = caName === 'ca' ? 'etcd-ca' : 'ca';
    assert.notEqual(openssl('verify', '-CAfile', join(pki, CAS[other]), crt).code, 0, `${base} vs ${other}`);
  }
  for (const [name, file] of Object.entries(CAS)) {
    const s = openssl(
      'x509',
      '-in',
      join(pki, file),
      '-noout',
      '-subject',
      '-ext',
      'basicConstraints',
      '-nameopt',
      'RFC2253',
    );
    assert.match(s.out, new RegExp(`subject=CN=${name === 'ca' ? 'kubernetes' : name}\\n`));
    assert.match(s.out, /CA:TRUE/);
  }
});

/** Splits openssl's `X509v3 Subject Alternative Name:` block into its entries. */
const sans = (text: string): string[] =>
  text
    .split('\n')
    .slice(1)
    .join(',')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

test('apiserver and etcd SANs (openssl -ext subjectAltName)', () => {
  const api = openssl('x509', '-in', join(pki, 'apiserver.crt'), '-noout', '-ext', 'subjectAltName').out;
  for (const want of [
    'DNS:cp-1',
    'DNS:kubernetes',
    'DNS:kubernetes.default',
    'DNS:kubernetes.default.svc',
    'DNS:kubernetes.default.svc.cluster.local',
    'DNS:localhost',
    'DNS:kube.example.com',
    'DNS:lb.example.com',
    'IP Address:10.96.0.1',
    'IP Address:192.0.2.10',
    'IP Address:127.0.0.1',
    'IP Address:203.0.113.5',
  ])
    assert.ok(sans(api).includes(want), `${want} in ${api}`);
  const etcd = openssl('x509', '-in', join(pki, 'etcd/server.crt'), '-noout', '-ext', 'subjectAltName').out;
  assert.match(
    etcd,
    /DNS:cp-1, DNS:localhost, IP Address:192\.0\.2\.10, IP Address:127\.0\.0\.1, IP Address:0:0:0:0:0:0:0:1/,
  );
  const eku = openssl('x509', '-in', join(pki, 'etcd/peer.crt'), '-noout', '-ext', 'extendedKeyUsage').out;
  assert.match(eku, /TLS Web Server Authentication, TLS Web Client Authentication/);
});

test('validity: leaves one year, CAs ten years (openssl -checkend)', () => {
  const day = 86400;
  const checkend = (file: string, days: number) =>
    openssl('x509', '-in', join(pki, file), '-noout', '-checkend', String(days * day)).code;
  for (const [base] of LEAVES) {
    assert.equal(checkend(`${base}.crt`, 364), 0, `${base} valid for 364 more days`);
    assert.equal(checkend(`${base}.crt`, 366), 1, `${base} expires within 366 days`);
  }
  for (const file of Object.values(CAS)) {
    assert.equal(checkend(file, 3649), 0, file);
    assert.equal(checkend(file, 3651), 1, file);
  }
});

test('private keys and admin.conf are 0600, certificates 0644, pki dirs 0700; sa.pub matches sa.key', () => {
  for (const f of ALL_FILES) assert.equal(mode(join(dir, f)), f.endsWith('.key') ? 0o600 : 0o644, f);
  assert.equal(mode(join(dir, 'admin.conf')), 0o600);
  assert.equal(mode(pki), 0o700);
  assert.equal(mode(join(pki, 'etcd')), 0o700);
  const derived = openssl('pkey', '-in', join(pki, 'sa.key'), '-pubout').out;
  assert.equal(derived.trim(), readFileSync(join(pki, 'sa.pub'), 'utf8').trim());
  assert.match(readFileSync(join(pki, 'sa.key'), 'utf8'), /^-----BEGIN RSA PRIVATE KEY-----/);
});

function clientCertOf(kubeconfigPath: string): {
  cert: string;
  key: string;
  ca: string;
  server: string;
  context: string;
} {
  const kc = parse(readFileSync(kubeconfigPath, 'utf8'));
  const b = (s: string) => Buffer.from(s, 'base64').toString('utf8');
  return {
    cert: b(kc.users[0].user['client-certificate-data']),
    key: b(kc.users[0].user['client-key-data']),
    ca: b(kc.clusters[0].cluster['certificate-authority-data']),
    server: kc.clusters[0].cluster.server,
    context: kc['current-context'],
  };
}

test('admin.conf: kubeadm shape, embedded CA = ca.crt, admin cert verifies with O=kubeadm:cluster-admins (kubeadm 1.29+)', () => {
  const admin = clientCertOf(join(dir, 'admin.conf'));
  assert.equal(admin.ca, readFileSync(join(pki, 'ca.crt'), 'utf8'));
  assert.equal(admin.server, 'https://kube.example.com:6443');
  assert.equal(admin.context, 'kubernetes-admin@kubernetes');
  const f = join(dir, 'admin-client.crt');
  writeFileSync(f, admin.cert);
  assert.equal(openssl('verify', '-CAfile', join(pki, 'ca.crt'), '-purpose', 'sslclient', f).code, 0);
  assert.equal(
    openssl('x509', '-in', f, '-noout', '-subject', '-nameopt', 'RFC2253').out.trim(),
    'subject=CN=kubernetes-admin,O=kubeadm:cluster-admins',
  );
});

test('a second init leaves every file untouched', () => {
  const files = [...ALL_FILES, 'admin.conf'].map((f) => join(dir, f));
  const before = files.map((f) => [sha(f), statSync(f).mtimeMs]);
  const again = kubeauth('init', '--data-dir', dir, '--apiserver-cert-extra-sans', 'other.example');
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /Nothing to do/);
  assert.deepEqual(
    files.map((f) => [sha(f), statSync(f).mtimeMs]),
    before,
  );
});

test('kubeconfig: issues a client cert for CN/O that verifies against ca.crt; --out is 0600', () => {
  const out = join(dir, 'alice.conf');
  const r = kubeauth(
    'kubeconfig',
    '--sign-with-ca-key',
    '--data-dir',
    dir,
    '--user',
    'alice',
    '--group',
    'dev',
    '--group',
    'ops',
    '--out',
    out,
  );
  assert.equal(r.code, 0, r.stderr);
  assert.equal(mode(out), 0o600);
  const alice = clientCertOf(out);
  assert.equal(alice.context, 'alice@kubernetes');
  const f = join(dir, 'alice.crt');
  writeFileSync(f, alice.cert);
  assert.equal(openssl('verify', '-CAfile', join(pki, 'ca.crt'), '-purpose', 'sslclient', f).code, 0);
  const text = openssl('x509', '-in', f, '-noout', '-subject', '-nameopt', 'oneline').out;
  assert.match(text, /O = dev \+ O = ops, CN = alice|O = ops \+ O = dev, CN = alice/);
  // stdout variant
  const s = kubeauth(
    'kubeconfig',
    '--sign-with-ca-key',
    '--data-dir',
    dir,
    '--user',
    'bob',
    '--server',
    'https://10.0.0.1:6443',
  );
  assert.equal(s.code, 0, s.stderr);
  const kc = parse(s.stdout);
  assert.equal(kc.kind, 'Config');
  assert.equal(kc.clusters[0].cluster.server, 'https://10.0.0.1:6443');
  assert.equal(kc.users[0].name, 'bob');
});

test('mutual TLS with the generated files: apiserver cert + admin client cert', async () => {
  const admin = clientCertOf(join(dir, 'admin.conf'));
  const server = createServer(
    {
      cert: readFileSync(join(pki, 'apiserver.crt')),
      key: readFileSync(join(pki, 'apiserver.key')),
      ca: readFileSync(join(pki, 'ca.crt')),
      requestCert: true,
      rejectUnauthorized: true,
    },
    (req, res) => {
      const peer = (req.socket as import('node:tls').TLSSocket).getPeerCertificate();
      res.end(JSON.stringify({ cn: peer.subject.CN, o: peer.subject.O }));
    },
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const port = (server.address() as AddressInfo).port;
    const body = await new Promise<string>((ok, fail) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          servername: 'kubernetes.default.svc',
          ca: admin.ca,
          cert: admin.cert,
          key: admin.key,
          path: '/',
        },
        (res) => {
          let d = '';
          res.on('data', (c: Buffer) => (d += c));
          res.on('end', () => ok(d));
        },
      );
      req.on('error', fail);
      req.end();
    });
    assert.deepEqual(JSON.parse(body), { cn: 'kubernetes-admin', o: 'kubeadm:cluster-admins' });
  } finally {
    server.close();
  }
});

test('certs check-expiration prints the table; certs renew re-issues a leaf and keeps the CA', () => {
  const c = kubeauth('certs', 'check-expiration', '--data-dir', dir);
  assert.equal(c.code, 0, c.stderr);
  assert.match(
    c.stdout,
    /^CERTIFICATE\s+EXPIRES\s+RESIDUAL TIME\s+CERTIFICATE AUTHORITY\s+EXTERNALLY MANAGED\n/,
  );
  assert.match(c.stdout, /\napiserver\s+\w{3} \d\d, \d{4} \d\d:\d\d UTC\s+36[45]d\s+ca\s+no\n/);
  assert.match(c.stdout, /\nCERTIFICATE AUTHORITY\s+EXPIRES\s+RESIDUAL TIME\s+EXTERNALLY MANAGED\n/);
  assert.match(c.stdout, /\netcd-ca\s+.*\s+9y\s+no\n/);
  const caHash = sha(join(pki, 'ca.crt'));
  const oldApi = sha(join(pki, 'apiserver.crt'));
  const oldSan = openssl('x509', '-in', join(pki, 'apiserver.crt'), '-noout', '-ext', 'subjectAltName').out;
  const r = kubeauth('certs', 'renew', 'apiserver', '--data-dir', dir);
  assert.equal(r.code, 0, r.stderr);
  assert.notEqual(sha(join(pki, 'apiserver.crt')), oldApi);
  assert.equal(sha(join(pki, 'ca.crt')), caHash);
  assert.equal(
    openssl('x509', '-in', join(pki, 'apiserver.crt'), '-noout', '-ext', 'subjectAltName').out,
    oldSan,
  );
  assert.equal(openssl('verify', '-CAfile', join(pki, 'ca.crt'), join(pki, 'apiserver.crt')).code, 0);
  assert.equal(mode(join(pki, 'apiserver.key')), 0o600);
  const modCert = openssl('x509', '-in', join(pki, 'apiserver.crt'), '-noout', '-pubkey').out;
  const modKey = openssl('pkey', '-in', join(pki, 'apiserver.key'), '-pubout').out;
  assert.equal(modCert, modKey);
});

test('flags: --help is generated, unknown flags and missing arguments fail clearly', () => {
  for (const args of [
    ['init', '--help'],
    ['kubeconfig', '--help'],
    ['certs', 'renew', '--help'],
    ['certs', 'check-expiration', '-h'],
  ]) {
    const r = kubeauth(...args);
    assert.equal(r.code, 0, args.join(' '));
    assert.match(r.stdout, /Usage:\n {2}kubeauth .*\n\nFlags:\n {2}--data-dir string/);
  }
  const bad = kubeauth('init', '--data-dir', dir, '--frobnicate');
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /unknown flag: --frobnicate/);
  const noUser = kubeauth('kubeconfig', '--data-dir', dir);
  assert.equal(noUser.code, 1);
  assert.match(noUser.stderr, /required flag "user" not set/);
  // ... also as `kubeconfig user NAME --sign-with-ca-key`
  const dave = kubeauth(
    'kubeconfig',
    'user',
    'dave',
    '--group',
    'qa',
    '--sign-with-ca-key',
    '--data-dir',
    dir,
  );
  assert.equal(dave.code, 0, dave.stderr);
  assert.equal(parse(dave.stdout)['current-context'], 'dave@kubernetes');
  // the offline form signs with pki/ca.key only when told so
  const noFlag = kubeauth('kubeconfig', '--data-dir', dir, '--user', 'carol');
  assert.equal(noFlag.code, 1);
  assert.match(noFlag.stderr, /--user signs with DIR\/pki\/ca\.key directly: add --sign-with-ca-key/);
  const badName = kubeauth('certs', 'renew', 'ca', '--data-dir', dir);
  assert.equal(badName.code, 1);
  assert.match(badName.stderr, /unknown certificate "ca"/);
});
