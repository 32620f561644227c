/**
 * Authentication figures of BENCHMARKS.md (issue #7), measured in one run on this machine against
 * the built server (dist/). Writes bench/results/authn.json.
 *
 * 1. Authenticated GET throughput over HTTP/2 (8 connections × 10 streams), each as a ratio of the
 *    same GET made anonymously: x509 client certificate, a cached bearer token (--token-auth-file),
 *    and an uncached service-account JWT (every request a token never seen before).
 * 2. In-process: the cost of a token-cache hit and of its key, RS256 vs ES256 verification of a
 *    bound service-account token (signature, claims, look-ups).
 * 3. The first OIDC token, discovery + JWKS fetch included (bench/authn-oidc.ts).
 */
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { Client, credentialsFromKubeconfig } from '../test/e2e/client.js';
import { repoRoot, startServer } from '../test/e2e/harness.js';
import { CachedTokenAuthenticator } from '../src/authn/token-cache.js';
import { ServiceAccountTokenAuthenticator, parsePublicKeysPem } from '../src/authn/service-account.js';
import { TokenSigner } from '../src/serviceaccount/jwt.js';
import type { KubeObject } from '../src/api/types.js';
import { oidcLatency } from './authn-oidc.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function load(opts: Record<string, unknown>): Promise<{
  rps: number;
  requests: number;
  errors: number;
  statuses: Record<string, number>;
  p50Ms: number;
  p99Ms: number;
}> {
  return new Promise((resolve, reject) => {
    const p = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(repoRoot, 'bench/load-client.ts'), JSON.stringify(opts)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`load client exited ${code}`)),
    );
  });
}

async function measured(pid: number, opts: Record<string, unknown>) {
  const c0 = cpuSeconds(pid);
  const r = await load(opts);
  const cpu = cpuSeconds(pid) - c0;
  if (Object.keys(r.statuses).some((s) => s !== '200'))
    throw new Error(`unexpected statuses ${JSON.stringify(r.statuses)}`);
  return { ...r, serverCpuUsPerRequest: (cpu * 1e6) / r.requests };
}

/**
 * Median over 15 batches of the mean ns per call (batches of n calls). A call that answers
 * synchronously (a token-cache hit does, and the server's chain keeps it synchronous) is not
 * awaited: an await would add a microtask turn the server does not pay.
 */
async function perCall(n: number, f: () => unknown): Promise<number> {
  const batch = async () => {
    for (let i = 0; i < n; i++) {
      const r = f();
      if (r instanceof Promise) await r;
    }
  };
  await batch();
  const batches: number[] = [];
  for (let b = 0; b < 15; b++) {
    const t0 = process.hrtime.bigint();
    await batch();
    batches.push(Number(process.hrtime.bigint() - t0) / n);
  }
  return median(batches);
}

async function inProcess(): Promise<Record<string, unknown>> {
  const now = new Date();
  const sa = { metadata: { name: 'builder', namespace: 'default', uid: 'sa-uid' } } as KubeObject;
  const getter = {
    serviceAccount: () => sa,
    secret: () => undefined,
    pod: () => undefined,
    node: () => undefined,
  };
  const claims = {
    issuer: 'https://kubernetes.default.svc.cluster.local',
    audiences: ['https://kubernetes.default.svc.cluster.local'],
    namespace: 'default',
    serviceAccount: { name: 'builder', uid: 'sa-uid' },
    issuedAt: Math.floor(now.getTime() / 1000),
    expirationSeconds: 3600,
  };
  const out: Record<string, unknown> = {};
  for (const [name, kp] of [
    ['RS256 (RSA-2048)', generateKeyPairSync('rsa', { modulusLength: 2048 })],
    ['ES256 (P-256)', generateKeyPairSync('ec', { namedCurve: 'P-256' })],
  ] as const) {
    const signer = new TokenSigner(kp.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    const a = new ServiceAccountTokenAuthenticator({
      issuers: [claims.issuer],
      keys: parsePublicKeysPem(kp.publicKey.export({ type: 'spki', format: 'pem' }).toString()),
      implicitAudiences: claims.audiences,
      getter,
      lookup: true,
    });
    const { token } = await signer.sign(claims);
    const r = await a.authenticateToken(token, []);
    if (!r.ok) throw new Error(`${name}: token refused`);
    out[name] = {
      verifyUs: (await perCall(500, () => a.authenticateToken(token, []))) / 1000,
      tokenBytes: token.length,
    };
  }
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const { token } = await new TokenSigner(
    rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  ).sign(claims);
  const cache = new CachedTokenAuthenticator(
    {
      authenticateToken: () => ({
        ok: true,
        response: { user: { name: 'u', uid: '', groups: [], extra: {} } },
      }),
    },
    { successTtlMs: 10_000, failureTtlMs: 0 },
  );
  await cache.authenticateToken(token, claims.audiences);
  const shortToken = 'bench-static-token-0123456789abcdef';
  const connection = {};
  await cache.authenticateToken(shortToken, claims.audiences);
  await cache.authenticateToken(shortToken, claims.audiences, connection);
  out.tokenCache = {
    tokenBytes: token.length,
    hitUs: (await perCall(200_000, () => cache.authenticateToken(token, claims.audiences))) / 1000,
    keyUs: (await perCall(200_000, () => cache.key(token, claims.audiences))) / 1000,
    // A short token (a static or bootstrap token): a plain hit, and a hit by the connection's
    // memo (the same token again on the same connection, no digest).
    shortTokenBytes: shortToken.length,
    shortHitUs: (await perCall(200_000, () => cache.authenticateToken(shortToken, claims.audiences))) / 1000,
    shortConnectionHitUs:
      (await perCall(200_000, () => cache.authenticateToken(shortToken, claims.audiences, connection))) /
      1000,
    goalHitUs: 1,
    upstreamGoHitUs: 1.1,
  };
  return out;
}

async function main(): Promise<void> {
  const results: Record<string, unknown> = {
    machine: { cpus: 2, node: process.version, loadAverageAtStart: loadavg() },
    date: new Date().toISOString(),
  };
  results.inProcess = await inProcess();
  console.log('in-process', JSON.stringify(results.inProcess));

  const dir = mkdtempSync(path.join(tmpdir(), 'kubeauth-bench-authn-'));
  const staticToken = 'bench-static-token-0123456789abcdef';
  writeFileSync(path.join(dir, 'tokens.csv'), `${staticToken},bench-user,uid-bench\n`);
  const srv = await startServer({ args: ['--token-auth-file', path.join(dir, 'tokens.csv')] });
  try {
    const creds = credentialsFromKubeconfig(srv.kubeconfig);
    const client = new Client(srv.port, creds);
    const cm = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'bench' },
      data: { k: 'v'.repeat(2000) },
    };
    await client.request('POST', '/api/v1/namespaces/default/configmaps', JSON.stringify(cm));
    // Everyone may read it: the same RBAC decision for every identity.
    const rbac = [
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: 'bench-read', namespace: 'default' },
        rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }],
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'bench-read', namespace: 'default' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'bench-read' },
        subjects: ['system:unauthenticated', 'system:authenticated'].map((name) => ({
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'Group',
          name,
        })),
      },
    ];
    await client.request(
      'POST',
      '/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles',
      JSON.stringify(rbac[0]),
    );
    await client.request(
      'POST',
      '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings',
      JSON.stringify(rbac[1]),
    );
    await client.request(
      'POST',
      '/api/v1/namespaces/default/serviceaccounts',
      JSON.stringify({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'bench' } }),
    );
    const saUid = (
      JSON.parse(
        (await client.request('GET', '/api/v1/namespaces/default/serviceaccounts/bench')).body.toString(),
      ) as KubeObject
    ).metadata!.uid!;
    const total = 6000;
    const signer = new TokenSigner(readFileSync(path.join(srv.dir, 'pki/sa.key'), 'utf8'));
    const iat = Math.floor(Date.now() / 1000);
    const tokens = await Promise.all(
      Array.from(
        { length: total },
        async () =>
          (
            await signer.sign({
              issuer: 'https://kubernetes.default.svc.cluster.local',
              audiences: ['https://kubernetes.default.svc.cluster.local'],
              namespace: 'default',
              serviceAccount: { name: 'bench', uid: saUid },
              issuedAt: iat,
              expirationSeconds: 3600,
            })
          ).token,
      ),
    );
    const tokensFile = path.join(dir, 'sa-tokens.txt');
    writeFileSync(tokensFile, tokens.join('\n'));
    const getPath = '/api/v1/namespaces/default/configmaps/bench';
    const base = { port: srv.port, path: getPath, connections: 8, streams: 10, ca: creds.ca };
    const pid = srv.proc.pid!;
    const runs: Record<string, Awaited<ReturnType<typeof measured>>[]> = {
      anonymous: [],
      x509: [],
      cachedToken: [],
      uncachedServiceAccountJwt: [],
    };
    const steady = {
      anonymous: { ...base, seconds: 4 },
      x509: { ...base, seconds: 4, cert: creds.cert, key: creds.key },
      cachedToken: { ...base, seconds: 4, headers: { authorization: `Bearer ${staticToken}` } },
    };
    const order = Object.keys(steady) as (keyof typeof steady)[];
    for (let round = 0; round < 5; round++) {
      // The order turns every round, so that no mode always runs right after the uncached one
      // (whose garbage the server is still collecting) or always first.
      for (let i = 0; i < order.length; i++) {
        const mode = order[(i + round) % order.length];
        runs[mode].push(await measured(pid, steady[mode]));
      }
      // Every token appears once per round: the first use of each is a cache miss (fresh tokens per round).
      const fresh = await Promise.all(
        tokens.map(async (t, i) =>
          round === 0
            ? t
            : (
                await signer.sign({
                  issuer: 'https://kubernetes.default.svc.cluster.local',
                  audiences: ['https://kubernetes.default.svc.cluster.local'],
                  namespace: 'default',
                  serviceAccount: { name: 'bench', uid: saUid },
                  issuedAt: iat + round,
                  expirationSeconds: 3600 + i,
                })
              ).token,
        ),
      );
      writeFileSync(tokensFile, fresh.join('\n'));
      runs.uncachedServiceAccountJwt.push(await measured(pid, { ...base, total, tokensFile }));
    }
    const summary: Record<string, unknown> = {};
    const anonRps = median(runs.anonymous.map((r) => r.rps));
    const anonCpu = median(runs.anonymous.map((r) => r.serverCpuUsPerRequest));
    for (const [k, rs] of Object.entries(runs)) {
      const rps = median(rs.map((r) => r.rps));
      const cpu = median(rs.map((r) => r.serverCpuUsPerRequest));
      summary[k] = {
        rps,
        serverCpuUsPerRequest: cpu,
        ratioRps: rps / anonRps,
        ratioCapacity: anonCpu / cpu,
        p50Ms: median(rs.map((r) => r.p50Ms)),
      };
    }
    results.authenticatedGet = { summary, runs, goalRatio: { x509: 0.9, cachedToken: 0.9 } };
    console.log('GET', JSON.stringify(summary, null, 1));
  } finally {
    await srv.stop();
  }
  results.oidc = await oidcLatency(7);
  console.log('OIDC', JSON.stringify(results.oidc, null, 1));
  writeFileSync(path.join(repoRoot, 'bench/results/authn.json'), JSON.stringify(results, null, 2) + '\n');
}

await main();
