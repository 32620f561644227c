/**
 * @module kubelet/serving-cert
 *
 * The kubelet's serving certificate when no `--tls-cert-file` is given, after
 * cmd/kubelet/app/server.go `InitializeTLS` → client-go `GenerateSelfSignedCertKey(hostname, ips,
 * nil)`: a CA `<hostname>-ca@<unix time>` and a serving certificate `<hostname>@<unix time>` signed
 * by it for the host name, the node IPs and localhost / 127.0.0.1, sent as the certificate
 * followed by its CA. Written to `<cert-dir>/kubelet.{crt,key}` and reused by kubelet/certificates.ts.
 */
import { isIP } from 'node:net';
import { createSelfSignedCa, signCertificate } from '../pki/cert.js';
import { generateRsaKeyPair } from '../pki/keys.js';

export async function selfSignedServingCert(
  host: string,
  nodeIps: readonly string[],
  now: Date = new Date(),
): Promise<{ cert: string; key: string }> {
  const ts = Math.floor(now.getTime() / 1000);
  const [caKey, key] = await Promise.all([generateRsaKeyPair(), generateRsaKeyPair()]);
  const ca = await createSelfSignedCa({
    commonName: `${host}-ca@${ts}`,
    keyPair: caKey,
    now,
    validitySeconds: 365 * 86400,
  });
  const ips = ['127.0.0.1', ...nodeIps.filter((ip) => isIP(ip) && ip !== '127.0.0.1')];
  const dns = [...new Set([host, 'localhost'].filter((n) => isIP(n) === 0))];
  const leaf = await signCertificate(ca, {
    subject: { commonName: `${host}@${ts}` },
    publicKey: key.publicKeyPem,
    usages: ['digital signature', 'key encipherment', 'server auth'],
    altNames: { dnsNames: dns, ips },
    now,
  });
  return { cert: leaf.trimEnd() + '\n' + ca.certPem.trimEnd() + '\n', key: key.privateKeyPem };
}
