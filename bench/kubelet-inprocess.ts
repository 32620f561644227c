/**
 * In-process half of bench/kubelet.ts: the kubelet's request handler (authentication,
 * authorization, the /pods route) driven with in-memory requests, so that the cost of the
 * delegated path is measured without the HTTP and TLS work that dominates (and makes noisy) the
 * over-the-wire runs. AlwaysAllow + anonymous against Webhook authn/authz on a warm cache, for a
 * bearer token and an x509 client certificate; the TokenReview/SAR server is a local stub.
 */
import { X509Certificate } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSelfSignedCa, issueCertAndKey } from '../src/pki/cert.js';
import { generateRsaKeyPair } from '../src/pki/keys.js';
import { buildDelegatingAuthenticator } from '../src/delegation/authenticator.js';
import { buildDelegatingAuthorizer } from '../src/delegation/authorizer.js';
import { LEGACY_FLAG_DEFAULTS } from '../src/kubelet/config.js';
import { kubeletHandler } from '../src/kubelet/server.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

function fakeExchange(headers: Record<string, string[]>, socket: object): Promise<void> {
  return new Promise((resolve) => {
    const req = {
      url: '/pods',
      method: 'GET',
      headersDistinct: headers,
      headers: {},
      socket,
    } as unknown as IncomingMessage;
    let code = 0;
    const res = {
      headersSent: false,
      writeHead(c: number) {
        code = c;
        res.headersSent = true;
      },
      end() {
        if (code !== 200) throw new Error(`status ${code}`);
        resolve();
      },
      destroy() {},
    };
    h(req, res as unknown as ServerResponse);
  });
}
let h: Handler;

async function perRequestUs(handler: Handler, headers: Record<string, string[]>, socket: object, n = 50_000) {
  h = handler;
  for (let i = 0; i < 2000; i++) await fakeExchange(headers, socket);
  const best: number[] = [];
  for (let round = 0; round < 5; round++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await fakeExchange(headers, socket);
    best.push(Number(process.hrtime.bigint() - t0) / n / 1000);
  }
  return Math.min(...best);
}

export async function inProcess(): Promise<Record<string, number>> {
  const [caKey, leafKey] = await Promise.all([generateRsaKeyPair(), generateRsaKeyPair()]);
  const ca = await createSelfSignedCa({ commonName: 'bench-ca', keyPair: caKey });
  const leaf = await issueCertAndKey(ca, leafKey, {
    subject: { commonName: 'alice' },
    usages: ['digital signature', 'client auth'],
  });
  const der = new X509Certificate(leaf.certPem).raw;
  const caDer = new X509Certificate(ca.certPem).raw;
  const caObj = { raw: caDer, fingerprint256: 'ca', issuerCertificate: undefined as unknown };
  caObj.issuerCertificate = caObj;
  const x509Socket = {
    getPeerCertificate: () => ({ raw: der, fingerprint256: 'leaf', issuerCertificate: caObj }),
  };
  const plainSocket = { getPeerCertificate: () => ({}) };
  const stub = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const review = JSON.parse(body);
      res.setHeader('content-type', 'application/json');
      if (review.kind === 'TokenReview')
        res.end(
          JSON.stringify({
            status: {
              authenticated: true,
              user: {
                username: 'system:serviceaccount:bench:warm',
                uid: 'u',
                groups: ['system:serviceaccounts', 'system:serviceaccounts:bench'],
              },
            },
          }),
        );
      else res.end(JSON.stringify({ status: { allowed: true } }));
    });
  });
  await new Promise<void>((r) => stub.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
  const quiet = () => undefined;
  const base = kubeletHandler({
    config: { ...LEGACY_FLAG_DEFAULTS },
    nodeName: 'node1',
    cert: '',
    key: '',
    authenticator: buildDelegatingAuthenticator({ anonymous: true, clientCaPem: ca.certPem }).authenticator,
    authorizer: buildDelegatingAuthorizer({ mode: 'AlwaysAllow', authorizedTtlMs: 0, unauthorizedTtlMs: 0 }),
    log: quiet,
  });
  const hook = kubeletHandler({
    config: { ...LEGACY_FLAG_DEFAULTS, authorizationMode: 'Webhook', webhookAuthentication: true },
    nodeName: 'node1',
    cert: '',
    key: '',
    authenticator: buildDelegatingAuthenticator({
      anonymous: true,
      clientCaPem: ca.certPem,
      tokenReview: { connection: { server: `${url}/tokenreviews` }, cacheTtlMs: 3600_000 },
    }).authenticator,
    authorizer: buildDelegatingAuthorizer({
      mode: 'Webhook',
      connection: { server: `${url}/sar` },
      authorizedTtlMs: 3600_000,
      unauthorizedTtlMs: 3600_000,
    }),
    log: quiet,
  });
  const token = { authorization: [`Bearer ${'t'.repeat(900)}`] };
  const out = {
    alwaysAllowAnonymousUs: await perRequestUs(base, {}, plainSocket),
    alwaysAllowX509Us: await perRequestUs(base, {}, x509Socket),
    webhookBearerTokenUs: await perRequestUs(hook, token, plainSocket),
    webhookX509Us: await perRequestUs(hook, {}, x509Socket),
  };
  stub.close();
  return out;
}
