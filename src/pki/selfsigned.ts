/**
 * The --cert-dir fallback of kube-apiserver (SecureServingOptions.MaybeDefaultWithSelfSignedCerts):
 * when no --tls-cert-file is given, reuse `<cert-dir>/apiserver.{crt,key}` or create a self-signed
 * CA `<host>-ca@<unix time>` and a serving certificate for the advertise address, localhost and
 * 127.0.0.1, written as the serving certificate followed by its CA, key 0600.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createSelfSignedCa, signCertificate } from './cert.js';
import { generateRsaKeyPair } from './keys.js';

export async function ensureSelfSignedServing(
  certDir: string,
  opts: { host: string; alternateIps: string[]; alternateDns: string[]; now?: Date },
): Promise<{ cert: string; key: string; certFile: string; keyFile: string; created: boolean }> {
  const certFile = path.join(certDir, 'apiserver.crt');
  const keyFile = path.join(certDir, 'apiserver.key');
  if (existsSync(certFile) && existsSync(keyFile)) {
    return {
      cert: readFileSync(certFile, 'utf8'),
      key: readFileSync(keyFile, 'utf8'),
      certFile,
      keyFile,
      created: false,
    };
  }
  const now = opts.now ?? new Date();
  const [caKey, key] = await Promise.all([generateRsaKeyPair(), generateRsaKeyPair()]);
  const ca = await createSelfSignedCa({
    commonName: `${opts.host}-ca@${Math.floor(now.getTime() / 1000)}`,
    keyPair: caKey,
    now,
  });
  const leaf = await signCertificate(ca, {
    subject: { commonName: `${opts.host}@${Math.floor(now.getTime() / 1000)}` },
    publicKey: key.publicKeyPem,
    usages: ['digital signature', 'key encipherment', 'server auth'],
    altNames: { dnsNames: ['localhost', ...opts.alternateDns], ips: ['127.0.0.1', ...opts.alternateIps] },
    now,
  });
  mkdirSync(certDir, { recursive: true, mode: 0o700 });
  const cert = leaf.trimEnd() + '\n' + ca.certPem.trimEnd() + '\n';
  writeFileSync(certFile, cert, { mode: 0o644 });
  writeFileSync(keyFile, key.privateKeyPem, { mode: 0o600 });
  return { cert, key: key.privateKeyPem, certFile, keyFile, created: true };
}
