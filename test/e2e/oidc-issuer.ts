/**
 * A real OpenID provider for the OIDC e2e test: `oidc-provider` served over HTTPS with a
 * certificate from a test CA. ID tokens come from its token endpoint through a custom grant type
 * (`urn:kubeauth:test:claims`, client_secret_basic), so no browser is needed; they are signed with
 * the provider's own JWKS (published at its jwks_uri, found through discovery).
 */
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';
import { createSelfSignedCa, issueCertAndKey } from '../../src/pki/cert.js';
import { generateRsaKeyPair } from '../../src/pki/keys.js';

export const GRANT = 'urn:kubeauth:test:claims';

export interface TestIssuer {
  issuer: string;
  caPem: string;
  clientId: string;
  /** Number of requests to the JWKS endpoint so far. */
  jwksFetches(): number;
  /** An ID token with these extra claims (sub is required), from the token endpoint. */
  idToken(claims: Record<string, unknown>): Promise<string>;
  close(): void;
}

export async function startIssuer(clientId = 'kubeauth'): Promise<TestIssuer> {
  const [caKey, leafKey] = await Promise.all([generateRsaKeyPair(), generateRsaKeyPair()]);
  const ca = await createSelfSignedCa({ commonName: 'oidc-test-ca', keyPair: caKey });
  const leaf = await issueCertAndKey(ca, leafKey, {
    subject: { commonName: 'oidc-issuer' },
    usages: ['digital signature', 'key encipherment', 'server auth'],
    altNames: { ips: ['127.0.0.1'] },
  });
  const server: Server = createServer({ cert: leaf.certPem, key: leaf.keyPem });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const issuer = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signing = { ...(await exportJWK(privateKey)), kid: 'test-key-1', alg: 'RS256', use: 'sig' };
  const secret = 'kubeauth-test-secret';
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: secret,
        grant_types: [GRANT],
        redirect_uris: [],
        response_types: [],
      },
    ],
    jwks: { keys: [signing] },
    features: { devInteractions: { enabled: false } },
    ttl: { IdToken: 3600 },
  });
  provider.registerGrantType(
    GRANT,
    async (ctx) => {
      const claims = JSON.parse(String(ctx.oidc.params?.test_claims ?? '{}')) as Record<string, unknown>;
      const token = new ctx.oidc.provider.IdToken({ sub: String(claims.sub) }, { ctx });
      for (const [k, v] of Object.entries(claims)) if (k !== 'sub') token.set(k, v);
      token.scope = 'openid';
      const idToken = await token.issue({ use: 'idtoken' });
      ctx.body = { id_token: idToken, token_type: 'Bearer', expires_in: 3600 };
    },
    ['test_claims'],
  );
  provider.on('server_error', (_ctx: unknown, err: Error) =>
    process.stderr.write(`oidc-provider: ${err.stack}\n`),
  );
  let fetches = 0;
  const app = provider.callback();
  server.on('request', (req, res) => {
    if (req.url?.startsWith('/jwks')) fetches++;
    void app(req, res);
  });
  return {
    issuer,
    caPem: ca.certPem,
    clientId,
    jwksFetches: () => fetches,
    async idToken(claims) {
      const { request } = await import('node:https');
      const body = new URLSearchParams({ grant_type: GRANT, test_claims: JSON.stringify(claims) }).toString();
      const text = await new Promise<string>((resolve, reject) => {
        const req = request(
          `${issuer}/token`,
          {
            method: 'POST',
            ca: ca.certPem,
            headers: {
              'content-type': 'application/x-www-form-urlencoded',
              authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
            },
          },
          (res) => {
            let out = '';
            res.on('data', (c) => (out += c));
            res.on('end', () =>
              res.statusCode === 200 ? resolve(out) : reject(new Error(`${res.statusCode}: ${out}`)),
            );
          },
        );
        req.on('error', reject);
        req.end(body);
      });
      return (JSON.parse(text) as { id_token: string }).id_token;
    },
    close: () => server.close(),
  };
}
