/**
 * @module client/csr
 *
 * Getting a certificate through the certificates.k8s.io API, as a client does by hand (and as
 * `kubectl certificate approve` approves): create a CertificateSigningRequest for a PEM request,
 * approve it when the caller may (PUT `/approval` with an `Approved` condition, as kubectl does;
 * a 403 means someone else has to), then wait until the signer writes `status.certificate`, or
 * the request is Denied or Failed. The private key never goes here: only the PEM request does.
 */
import { KubeApiError, type KubeClient } from './kube-client.js';

const CSRS = '/apis/certificates.k8s.io/v1/certificatesigningrequests';

export interface CertificateRequestOptions {
  name: string;
  /** The PEM `CERTIFICATE REQUEST`. */
  csrPem: string;
  signerName: string;
  usages: string[];
  /** spec.expirationSeconds (the signer caps it at --cluster-signing-duration). */
  expirationSeconds?: number;
  /** Try to approve it with the caller's credentials (default true). */
  approve?: boolean;
  /** Told once when the request waits for someone else's approval. */
  onWaitingForApproval?: (name: string) => void;
  /** Give up after this long (default 15 minutes). */
  timeoutMs?: number;
  pollMs?: number;
  /**
   * A CSR of that name that already exists with the same request is waited for instead (client-go
   * csr.RequestCertificate: a restarted bootstrap with the same key makes the same name).
   */
  reuseExisting?: boolean;
}

interface Csr {
  metadata: { name: string; resourceVersion?: string };
  status?: {
    certificate?: string;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
  };
  [k: string]: unknown;
}

/** The request was Denied or Failed, or was not issued in time. */
export class CertificateRequestError extends Error {}

/** Creates the CSR, approves it if allowed, and resolves with the issued certificate's PEM. */
export async function requestCertificate(client: KubeClient, o: CertificateRequestOptions): Promise<string> {
  const created = await create(client, o);
  let waiting = o.approve === false;
  if (!waiting) {
    try {
      await approve(client, created);
    } catch (e) {
      if (!(e instanceof KubeApiError && e.code === 403)) throw e;
      waiting = true;
    }
  }
  if (waiting) o.onWaitingForApproval?.(o.name);
  const deadline = Date.now() + (o.timeoutMs ?? 15 * 60_000);
  for (;;) {
    const cur = (await client.get(`${CSRS}/${encodeURIComponent(o.name)}`)) as Csr;
    const conds = cur.status?.conditions ?? [];
    const bad = conds.find((c) => (c.type === 'Denied' || c.type === 'Failed') && c.status === 'True');
    if (bad)
      throw new CertificateRequestError(
        `certificate signing request "${o.name}" ${bad.type === 'Denied' ? 'was denied' : 'failed'}: ${bad.reason ?? ''}${bad.message ? ` (${bad.message})` : ''}`,
      );
    if (cur.status?.certificate) return Buffer.from(cur.status.certificate, 'base64').toString('utf8');
    if (Date.now() > deadline)
      throw new CertificateRequestError(
        `timed out waiting for the certificate of certificate signing request "${o.name}"`,
      );
    await new Promise((r) => setTimeout(r, o.pollMs ?? 250));
  }
}

/** What `kubectl certificate approve` sends (with kubeauth's own reason), from these credentials. */
async function approve(client: KubeClient, csr: Csr): Promise<void> {
  const conditions = [
    ...(csr.status?.conditions ?? []),
    {
      type: 'Approved',
      status: 'True',
      reason: 'KubeauthApprove',
      message: 'This CSR was approved by kubeauth kubeconfig user.',
    },
  ];
  await client.request('PUT', `${CSRS}/${encodeURIComponent(csr.metadata.name)}/approval`, {
    ...csr,
    status: { ...csr.status, conditions },
  });
}

async function create(client: KubeClient, o: CertificateRequestOptions): Promise<Csr> {
  try {
    return (await client.request('POST', CSRS, {
      apiVersion: 'certificates.k8s.io/v1',
      kind: 'CertificateSigningRequest',
      metadata: { name: o.name },
      spec: {
        request: Buffer.from(o.csrPem).toString('base64'),
        signerName: o.signerName,
        usages: o.usages,
        ...(o.expirationSeconds !== undefined ? { expirationSeconds: o.expirationSeconds } : {}),
      },
    })) as Csr;
  } catch (e) {
    if (!(o.reuseExisting && e instanceof KubeApiError && e.code === 409)) throw e;
    const cur = (await client.get(`${CSRS}/${encodeURIComponent(o.name)}`)) as Csr & {
      spec?: { request?: string };
    };
    if (cur.spec?.request !== Buffer.from(o.csrPem).toString('base64'))
      throw new CertificateRequestError(
        `retrieved csr "${o.name}" is not compatible: the existing request differs`,
      );
    return cur;
  }
}
