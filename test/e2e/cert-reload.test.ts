/**
 * Certificate lifecycle without restarts (upstream's dynamiccertificates: DynamicCertKeyPairContent,
 * DynamicFileCAContent for the request-header CA, DynamicServingCertificateController):
 * `kubeauth certs renew all` while kubectl keeps running against the server; a new TLS connection
 * (openssl s_client and node:tls) sees the renewed serving certificate's serial while an HTTP/2
 * session opened before the renewal still answers; an SNI pair is reloaded, and a broken SNI file
 * keeps the previous pair; a front proxy holding a certificate from a new CA is believed once
 * --requestheader-client-ca-file names that CA (verifier, CertificateRequest CA list and the
 * extension-apiserver-authentication ConfigMap follow the file).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import http2 from 'node:http2';
import { request } from 'node:https';
import tls from 'node:tls';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { createSelfSignedCa, issueCertAndKey, type CertAndKey } from '../../src/pki/cert.js';
import { generateKeyPairFor } from '../../src/pki/keys.js';
import { freePort, mainJs, run, startServer, type TestServer } from './harness.js';

/** Serial (upper-case hex, as node prints it) of the certificate a new TLS connection is served. */
function servedSerial(port: number, servername = 'localhost'): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = tls.connect({ host: '127.0.0.1', port, servername, rejectUnauthorized: false }, () => {
      const serial = s.getPeerCertificate().serialNumber;
      s.end();
      resolve(serial);
    });
    s.on('error', reject);
  });
}

const fileSerial = (file: string) => new X509Certificate(readFileSync(file)).serialNumber;

async function eventually(what: string, f: () => Promise<boolean>, ms = 8000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Replaces a file by rename, as `certs renew` and most tools do. */
function replace(file: string, data: string): void {
  writeFileSync(`${file}.tmp`, data);
  renameSync(`${file}.tmp`, file);
}

/** POST a SelfSubjectReview over a fresh connection: [status, username]. */
function whoAmI(
  port: number,
  client: { cert: string | Buffer; key: string | Buffer },
  headers: Record<string, string> = {},
): Promise<[number, string]> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/apis/authentication.k8s.io/v1/selfsubjectreviews',
        headers: { 'content-type': 'application/json', ...headers },
        ...client,
        rejectUnauthorized: false,
        agent: false,
      },
      (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => {
          let user = '';
          try {
            user = JSON.parse(body).status?.userInfo?.username ?? '';
          } catch {
            /* not JSON: no user */
          }
          resolve([res.statusCode ?? 0, user]);
        });
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }));
  });
}

/** A GET on an open HTTP/2 session: [status, body]. */
function h2get(session: http2.ClientHttp2Session, p: string): Promise<[number, string]> {
  return new Promise((resolve, reject) => {
    const req = session.request({ ':path': p });
    let status = 0;
    let body = '';
    req.on('response', (h) => (status = Number(h[':status'])));
    req.on('data', (d) => (body += d));
    req.on('end', () => resolve([status, body]));
    req.on('error', reject);
    req.end();
  });
}

describe('certificate reload without restart', () => {
  let srv: TestServer;
  let dir: string;
  let pki: string;
  let admin: { cert: string; key: string; ca: string };
  let sniCa: CertAndKey;
  const sniCrt = () => path.join(dir, 'sni.crt');
  const sniKey = () => path.join(dir, 'sni.key');
  const rhCa = () => path.join(dir, 'requestheader-ca.crt');
  const issueSni = async (): Promise<CertAndKey> =>
    issueCertAndKey(sniCa, await generateKeyPairFor('ECDSA-P256'), {
      subject: { commonName: 'sni.example' },
      usages: ['digital signature', 'key encipherment', 'server auth'],
      altNames: { dnsNames: ['sni.example'] },
    });

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'kubeauth-certreload-'));
    pki = path.join(dir, 'pki');
    const port = await freePort();
    const init = await run(process.execPath, [
      mainJs,
      'init',
      '--data-dir',
      dir,
      '--apiserver-bind-port',
      String(port),
    ]);
    assert.equal(init.code, 0, init.stderr);
    copyFileSync(path.join(pki, 'front-proxy-ca.crt'), rhCa());
    sniCa = await createSelfSignedCa({
      commonName: 'sni-ca',
      keyPair: await generateKeyPairFor('ECDSA-P256'),
    });
    const sni = await issueSni();
    writeFileSync(sniCrt(), sni.certPem);
    writeFileSync(sniKey(), sni.keyPem, { mode: 0o600 });
    srv = await startServer({
      dir,
      port,
      args: [
        `--tls-sni-cert-key=${sniCrt()},${sniKey()}:sni.example`,
        `--requestheader-client-ca-file=${rhCa()}`,
        '--requestheader-allowed-names=front-proxy-client',
        '--requestheader-username-headers=X-Remote-User',
        '--requestheader-group-headers=X-Remote-Group',
      ],
    });
    const kc = parse(readFileSync(srv.kubeconfig, 'utf8'));
    const b = (s: string) => Buffer.from(s, 'base64').toString();
    admin = {
      cert: b(kc.users[0].user['client-certificate-data']),
      key: b(kc.users[0].user['client-key-data']),
      ca: b(kc.clusters[0].cluster['certificate-authority-data']),
    };
  });
  after(async () => {
    await srv?.stop();
  });

  test('certs renew all while kubectl runs: new connections see the new serial, an open HTTP/2 session still answers', async () => {
    const before = await servedSerial(srv.port);
    assert.equal(before, fileSerial(path.join(pki, 'apiserver.crt')));
    const session = http2.connect(`https://127.0.0.1:${srv.port}`, {
      ca: admin.ca,
      cert: admin.cert,
      key: admin.key,
      servername: 'localhost',
    });
    const [s0] = await h2get(session, '/api/v1/namespaces/default');
    assert.equal(s0, 200);
    assert.equal((session.socket as tls.TLSSocket).getPeerCertificate().serialNumber, before);

    // kubectl in a loop (it verifies the server against ca.crt and re-reads admin.conf each run).
    let running = true;
    const results: { code: number; stderr: string }[] = [];
    const loop = (async () => {
      while (running) {
        const r = await srv.kubectl('1.33', ['get', 'namespace', 'default', '-o', 'name']);
        results.push({ code: r.code, stderr: r.stderr });
      }
    })();
    await new Promise((r) => setTimeout(r, 300));
    const renew = await run(process.execPath, [mainJs, 'certs', 'renew', 'all', '--data-dir', dir]);
    assert.equal(renew.code, 0, renew.stderr);
    assert.match(renew.stdout, /certificate for serving the Kubernetes API renewed/);
    assert.match(renew.stdout, /Done renewing certificates\. A running kubeauth server picks them up/);
    const renewed = fileSerial(path.join(pki, 'apiserver.crt'));
    assert.notEqual(renewed, before);
    await eventually('a new connection is served the renewed certificate', async () => {
      return (await servedSerial(srv.port)) === renewed;
    });
    // openssl s_client, a client that is not node, sees it too.
    const sc = spawnSync(
      'sh',
      [
        '-c',
        `openssl s_client -connect 127.0.0.1:${srv.port} -servername localhost </dev/null 2>/dev/null | openssl x509 -noout -serial`,
      ],
      { encoding: 'utf8' },
    );
    assert.equal(sc.stdout.trim(), `serial=${renewed}`);
    // Let kubectl run a few times against the renewed server, with the renewed admin.conf.
    const n = results.length;
    await eventually('kubectl ran after the renewal', async () => results.length >= n + 2, 30_000);
    running = false;
    await loop;
    assert.ok(results.length >= 3, `kubectl ran ${results.length} times`);
    assert.deepEqual(
      results.filter((r) => r.code !== 0),
      [],
      'every kubectl run during and after the renewal succeeded',
    );
    // The session opened before the renewal is the same connection, and still answers.
    assert.equal(session.closed, false);
    assert.equal((session.socket as tls.TLSSocket).getPeerCertificate().serialNumber, before);
    const [s1, body] = await h2get(session, '/api/v1/namespaces/default');
    assert.equal(s1, 200, body);
    session.close();
  });

  test('an SNI pair is reloaded; a broken file keeps the previous pair and is logged', async () => {
    assert.equal(await servedSerial(srv.port, 'sni.example'), fileSerial(sniCrt()));
    const first = fileSerial(sniCrt());
    const next = await issueSni();
    // Key first, certificate second (the mismatch between the two writes is not taken).
    replace(sniKey(), next.keyPem);
    replace(sniCrt(), next.certPem);
    const second = fileSerial(sniCrt());
    assert.notEqual(second, first);
    await eventually('the new SNI certificate is served', async () => {
      return (await servedSerial(srv.port, 'sni.example')) === second;
    });
    // The default certificate is unaffected for other names.
    assert.equal(await servedSerial(srv.port, 'localhost'), fileSerial(path.join(pki, 'apiserver.crt')));
    replace(sniCrt(), 'not a certificate\n');
    await eventually('the broken file is logged', async () =>
      /Failed to load cert\/key pair, keeping the previous one" controller="sni-serving-cert::/.test(
        srv.output(),
      ),
    );
    assert.equal(await servedSerial(srv.port, 'sni.example'), second);
    // A certificate that does not match the key is refused as Go's tls.X509KeyPair refuses it.
    const other = await issueSni();
    replace(sniCrt(), other.certPem);
    await eventually('the mismatch is logged', async () =>
      /tls: private key does not match public key/.test(srv.output()),
    );
    assert.equal(await servedSerial(srv.port, 'sni.example'), second);
  });

  test('--requestheader-client-ca-file reload: a proxy certificate from a new CA is believed after the file names it', async () => {
    const ca = await createSelfSignedCa({
      commonName: 'new-front-proxy-ca',
      keyPair: await generateKeyPairFor('RSA-2048'),
    });
    const proxy = await issueCertAndKey(ca, await generateKeyPairFor('RSA-2048'), {
      subject: { commonName: 'front-proxy-client' },
      usages: ['digital signature', 'key encipherment', 'client auth'],
    });
    const client = { cert: proxy.certPem, key: proxy.keyPem };
    const headers = { 'x-remote-user': 'carol', 'x-remote-group': 'devs' };
    // Not yet trusted: the proxy authenticator fails, and with fail-on-error that is a 401.
    assert.equal((await whoAmI(srv.port, client, headers))[0], 401);
    const oldCa = readFileSync(rhCa(), 'utf8');
    replace(rhCa(), oldCa + ca.certPem);
    await eventually('the proxy from the new CA is believed', async () => {
      const [code, user] = await whoAmI(srv.port, client, headers);
      return code === 201 && user === 'carol';
    });
    // The CertificateRequest now names the new CA beside the cluster CA (the union, as upstream).
    const sc = spawnSync(
      'sh',
      ['-c', `openssl s_client -connect 127.0.0.1:${srv.port} -servername localhost </dev/null 2>&1`],
      { encoding: 'utf8' },
    );
    const names = sc.stdout.slice(sc.stdout.indexOf('Acceptable client certificate CA names'));
    assert.match(names, /CN\s*=\s*new-front-proxy-ca/);
    assert.match(names, /CN\s*=\s*front-proxy-ca/);
    assert.match(names, /CN\s*=\s*kubernetes/);
    // extension-apiserver-authentication publishes the new bundle.
    await eventually('the ConfigMap carries the new bundle', async () => {
      const r = await srv.kubectl('1.33', [
        'get',
        'configmap',
        '-n',
        'kube-system',
        'extension-apiserver-authentication',
        '-o',
        'jsonpath={.data.requestheader-client-ca-file}',
      ]);
      return r.code === 0 && r.stdout.trim() === (oldCa + ca.certPem).trim();
    });
    // Removing it again: the proxy is refused again.
    replace(rhCa(), oldCa);
    await eventually('the proxy from the removed CA is refused', async () => {
      return (await whoAmI(srv.port, client, headers))[0] === 401;
    });
  });
});
