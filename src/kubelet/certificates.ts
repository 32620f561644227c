/**
 * @module kubelet/certificates
 *
 * The kubelet's certificates at start-up, as cmd/kubelet/app/server.go wires them:
 * `--bootstrap-kubeconfig` runs the TLS bootstrap (kubelet/bootstrap.ts) before anything talks to
 * the API server; `--rotate-certificates` keeps the client certificate renewed (kubelet/cert-manager.ts,
 * store `kubelet-client`), the delegation connections (TokenReview, SubjectAccessReview) switching to
 * each new one; the serving certificate is `--tls-cert-file`, or with `--rotate-server-certificates`
 * a `kubernetes.io/kubelet-serving` certificate (store `kubelet-server`, not auto-approved upstream:
 * until it is issued the kubelet refuses TLS handshakes), or otherwise the self-signed
 * `<cert-dir>/kubelet.crt`/`kubelet.key`, made once and reused (server.go `InitializeTLS`).
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import {
  clientWithPair,
  credentialsOf,
  KUBELET_CLIENT_SIGNER,
  KUBELET_SERVING_SIGNER,
  loadClientCert,
  requestNodeCertificate,
} from './bootstrap.js';
import { CertManager } from './cert-manager.js';
import { CertStore, parsePair, type CertPair } from './cert-store.js';
import { selfSignedServingCert } from './serving-cert.js';

export const DEFAULT_CERT_DIR = '/var/lib/kubelet/pki';

export interface KubeletCertOptions {
  kubeconfig: string;
  bootstrapKubeconfig: string;
  certDir: string;
  rotateCertificates: boolean;
  rotateServerCertificates: boolean;
  tlsCertFile: string;
  tlsPrivateKeyFile: string;
  nodeName: string;
  nodeIps: string[];
  log: (line: string) => void;
}

/** What holds a client certificate the kubelet connects with (a delegation WebhookConnection). */
export interface ClientCertHolder {
  certPem?: string;
  keyPem?: string;
}

export interface KubeletCerts {
  /** The serving pair to listen with (made on first call); absent while a kubelet-serving certificate is pending. */
  serving(): Promise<{ cert?: string; key?: string }>;
  /** Rotated client certificates go to these connections, serving ones to this server. */
  attach(conns: ClientCertHolder[], server: { setServingCert(cert: string, key: string): void }): void;
  stop(): void;
}

export class KubeletCertError extends Error {}

export async function setUpKubeletCertificates(o: KubeletCertOptions): Promise<KubeletCerts> {
  const needKubeconfig = (flag: string) => {
    if (!o.kubeconfig) throw new KubeletCertError(`${flag} requires --kubeconfig`);
  };
  if (o.bootstrapKubeconfig) {
    needKubeconfig('--bootstrap-kubeconfig');
    await loadClientCert({
      kubeconfig: o.kubeconfig,
      bootstrapKubeconfig: o.bootstrapKubeconfig,
      certDir: o.certDir,
      nodeName: o.nodeName,
      log: o.log,
    });
  }
  let conns: ClientCertHolder[] = [];
  let server: { setServingCert(cert: string, key: string): void } | undefined;
  let client: CertManager | undefined;
  if (o.rotateCertificates) {
    needKubeconfig('--rotate-certificates');
    const c = credentialsOf(o.kubeconfig);
    let fallback: CertPair | undefined;
    try {
      fallback = parsePair(`${c.clientCertPem ?? ''}\n${c.clientKeyPem ?? ''}`);
    } catch {
      fallback = undefined;
    }
    const store = new CertStore(o.certDir, 'kubelet-client');
    if (!fallback && !(await store.current()))
      throw new KubeletCertError(
        `--rotate-certificates: the kubeconfig ${o.kubeconfig} has no client certificate and ${store.currentPath} does not exist`,
      );
    const mgr: CertManager = new CertManager({
      store,
      rotate: true,
      fallback,
      log: o.log,
      request: (keyPem) =>
        requestNodeCertificate(clientWithPair(o.kubeconfig, mgr.current()), {
          nodeName: o.nodeName,
          keyPem,
          signerName: KUBELET_CLIENT_SIGNER,
          log: o.log,
        }),
      onRotate: (p) => conns.forEach((h) => Object.assign(h, { certPem: p.certPem, keyPem: p.keyPem })),
    });
    await mgr.start();
    client = mgr;
  }
  let servingMgr: CertManager | undefined;
  let serving: { cert?: string; key?: string } = {};
  return {
    async serving() {
      if (o.tlsCertFile) {
        serving = {
          cert: await readFile(o.tlsCertFile, 'utf8'),
          key: await readFile(o.tlsPrivateKeyFile, 'utf8'),
        };
      } else if (o.rotateServerCertificates) {
        needKubeconfig('--rotate-server-certificates');
        const mgr = new CertManager({
          store: new CertStore(o.certDir, 'kubelet-server'),
          rotate: true,
          log: o.log,
          request: (keyPem) =>
            requestNodeCertificate(clientWithPair(o.kubeconfig, client?.current()), {
              nodeName: o.nodeName,
              keyPem,
              signerName: KUBELET_SERVING_SIGNER,
              altNames: {
                dnsNames: isIP(o.nodeName) ? [] : [o.nodeName],
                ips: [...new Set([...o.nodeIps, ...(isIP(o.nodeName) ? [o.nodeName] : [])])],
              },
              log: o.log,
            }),
          onRotate: (p) => server?.setServingCert(p.certPem, p.keyPem),
        });
        await mgr.start();
        servingMgr = mgr;
        const p = mgr.current();
        serving = p && p.notAfter.getTime() > Date.now() ? { cert: p.certPem, key: p.keyPem } : {};
        if (!serving.cert)
          o.log(
            'I no serving certificate yet: waiting for the kubelet-serving CSR to be approved and issued',
          );
      } else {
        serving = await selfSignedInCertDir(o.certDir, o.nodeName, o.nodeIps, o.log);
      }
      return serving;
    },
    attach(c, s) {
      conns = c;
      server = s;
      const cur = client?.current();
      if (cur) conns.forEach((h) => Object.assign(h, { certPem: cur.certPem, keyPem: cur.keyPem }));
      const sv = servingMgr?.current();
      if (sv && sv.certPem !== serving.cert && sv.notAfter.getTime() > Date.now())
        s.setServingCert(sv.certPem, sv.keyPem);
    },
    stop() {
      client?.stop();
      servingMgr?.stop();
    },
  };
}

/** InitializeTLS: reuse `<cert-dir>/kubelet.crt` + `kubelet.key`, or make them (key 0600). */
async function selfSignedInCertDir(
  certDir: string,
  host: string,
  ips: string[],
  log: (l: string) => void,
): Promise<{ cert: string; key: string }> {
  const certFile = join(certDir, 'kubelet.crt');
  const keyFile = join(certDir, 'kubelet.key');
  if (existsSync(certFile) && existsSync(keyFile)) {
    try {
      return { cert: await readFile(certFile, 'utf8'), key: await readFile(keyFile, 'utf8') };
    } catch {
      /* unreadable: make new ones, as CanReadCertAndKey false */
    }
  }
  const p = await selfSignedServingCert(host, ips);
  await mkdir(certDir, { recursive: true, mode: 0o700 });
  await writeFile(certFile, p.cert, { mode: 0o644 });
  await writeFile(keyFile, p.key, { mode: 0o600 });
  log(`I Using self-signed cert TLSCertFile=${certFile} TLSPrivateKeyFile=${keyFile}`);
  return p;
}
