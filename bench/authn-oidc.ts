/**
 * The OIDC rows of bench/authn.ts (issue #7: "the latency of the first OIDC token including the
 * JWKS fetch"), against a real OpenID provider (`oidc-provider` over HTTPS with its own CA,
 * test/e2e/oidc-issuer.ts):
 *
 * 1. Real server, a new one per sample (N samples): `kubeauth serve --oidc-*` is started, and as
 *    soon as it accepts connections a SelfSubjectReview is POSTed with a fresh ID token, retried
 *    until it answers 201. The figure is the time from the first try to the 201 for the first
 *    request — the server's discovery + JWKS fetch (begun at start, oidc.go's initVerifier)
 *    overlaps it; whether the JWKS had already been fetched is recorded per sample. Then a second
 *    fresh token on the same server (verification only) and the same token again (token cache).
 * 2. In process: a new JwtAuthenticator per sample and its first token, which always includes
 *    discovery + JWKS + verification (the authenticator waits for its first fetch).
 *
 * Each request goes over a keep-alive connection opened beforehand (anonymous /livez), so TLS
 * set-up is not counted.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, mainJs, waitReady } from '../test/e2e/harness.js';
import { startIssuer } from '../test/e2e/oidc-issuer.js';
import { legacyOidcToJwt } from '../src/authn/oidc/config.js';
import { JwtAuthenticator } from '../src/authn/oidc/jwt.js';

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const median = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)];
/** Nearest-rank p99: with fewer than 100 samples, the largest. */
const p99 = (xs: number[]) => sorted(xs)[Math.min(xs.length - 1, Math.ceil(0.99 * xs.length) - 1)];
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

function request(
  agent: https.Agent,
  port: number,
  p: string,
  token?: string,
): Promise<{ status: number; body: string }> {
  const body =
    p === '/livez'
      ? undefined
      : JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' });
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: '127.0.0.1',
        port,
        path: p,
        method: body ? 'POST' : 'GET',
        agent,
        rejectUnauthorized: false,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
      },
      (res) => {
        let out = '';
        res.on('data', (c) => (out += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: out }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const REVIEW = '/apis/authentication.k8s.io/v1/selfsubjectreviews';

export async function oidcLatency(samples = 7): Promise<Record<string, unknown>> {
  const idp = await startIssuer();
  const dir = mkdtempSync(path.join(tmpdir(), 'kubeauth-bench-oidc-'));
  const caFile = path.join(dir, 'oidc-ca.crt');
  writeFileSync(caFile, idp.caPem);
  const first: number[] = [];
  const second: number[] = [];
  const cached: number[] = [];
  const fetchedBefore: boolean[] = [];
  const inProcess: number[] = [];
  try {
    for (let i = 0; i < samples; i++) {
      const port = await freePort();
      const fetches0 = idp.jwksFetches();
      const proc = spawn(
        process.execPath,
        [
          mainJs,
          'serve',
          '--data-dir',
          path.join(dir, `data-${i}`),
          '--secure-port',
          String(port),
          `--oidc-issuer-url=${idp.issuer}`,
          `--oidc-client-id=${idp.clientId}`,
          `--oidc-ca-file=${caFile}`,
          '--oidc-username-claim=sub',
          '--oidc-username-prefix=-',
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let err = '';
      proc.stderr!.on('data', (d) => (err += d));
      const agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
      try {
        const [t1, t2] = await Promise.all([
          idp.idToken({ sub: `first-${i}` }),
          idp.idToken({ sub: `second-${i}` }),
        ]);
        await waitReady(port, 30_000);
        await request(agent, port, '/livez');
        fetchedBefore.push(idp.jwksFetches() > fetches0);
        const t0 = process.hrtime.bigint();
        let r = await request(agent, port, REVIEW, t1);
        while (r.status !== 201) {
          if (ms(t0) > 10_000) throw new Error(`first token: ${r.status} ${r.body}\n${err}`);
          r = await request(agent, port, REVIEW, t1);
        }
        first.push(ms(t0));
        if (!r.body.includes(`"username":"first-${i}"`)) throw new Error(`unexpected review ${r.body}`);
        const s0 = process.hrtime.bigint();
        const r2 = await request(agent, port, REVIEW, t2);
        second.push(ms(s0));
        if (r2.status !== 201) throw new Error(`second token: ${r2.status} ${r2.body}`);
        const c0 = process.hrtime.bigint();
        await request(agent, port, REVIEW, t2);
        cached.push(ms(c0));
      } finally {
        agent.destroy();
        proc.kill('SIGTERM');
        await new Promise((r) => proc.once('exit', r));
      }
      const token = await idp.idToken({ sub: `in-process-${i}` });
      const t0 = process.hrtime.bigint();
      const a = new JwtAuthenticator({
        jwt: legacyOidcToJwt({
          issuerURL: idp.issuer,
          clientID: idp.clientId,
          caPem: idp.caPem,
          usernameClaim: 'sub',
          usernamePrefix: '-',
          groupsClaim: '',
          groupsPrefix: '',
          requiredClaims: {},
        }),
        initRetryMs: 0,
      });
      const r = await a.authenticateToken(token, []);
      inProcess.push(ms(t0));
      a.close();
      if (!r.ok) throw new Error(`in-process first token refused: ${r.error?.message}`);
    }
  } finally {
    idp.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const stats = (xs: number[]) => ({ medianMs: median(xs), p99Ms: p99(xs), samplesMs: xs });
  return {
    samples,
    serverFirstToken: { ...stats(first), jwksFetchedBeforeFirstRequest: fetchedBefore },
    serverSecondFreshToken: stats(second),
    serverCachedToken: stats(cached),
    inProcessFirstTokenWithDiscoveryAndJwks: stats(inProcess),
  };
}
