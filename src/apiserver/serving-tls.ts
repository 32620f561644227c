/**
 * @module apiserver/serving-tls
 *
 * What the listener serves and how it follows its files, after upstream's
 * DynamicServingCertificateController (staging/src/k8s.io/apiserver/pkg/server/dynamiccertificates/
 * tlsconfig.go): the serving pair, the SNI pairs and the CertificateRequest CA list (the union of
 * the client CA and the request-header CA, as upstream unions the two CA providers) are read from
 * their watched files; each change is applied to the running server for new handshakes.
 */
import type { DynamicCaBundle } from '../authn/dynamic-ca.js';
import type { DynamicCertKeyPair } from './dynamic-serving.js';
import type { RunningServer, SniCert } from './server.js';

export interface ServingTlsOptions {
  cert: string;
  key: string;
  clientCa?: string;
  sni?: SniCert[];
  /** --client-ca-file watched for changes: x509 and the CertificateRequest follow it. */
  clientCaBundle?: DynamicCaBundle;
  /**
   * --requestheader-client-ca-file watched for changes: the front-proxy verifier, the
   * CertificateRequest and the extension-apiserver-authentication ConfigMap follow it.
   */
  requestHeaderCaBundle?: DynamicCaBundle;
  /** The serving cert/key files watched for changes (new handshakes use the new pair). */
  servingPair?: DynamicCertKeyPair;
  /** --tls-sni-cert-key pairs watched for changes; replaces `sni` when given. */
  sniPairs?: { pair: DynamicCertKeyPair; names: string[] }[];
}

/** The CertificateRequest CA list now: client CA and request-header CA, current contents. */
export function certificateRequestCas(t: ServingTlsOptions, requestHeaderCaPem?: string): string | undefined {
  return (
    [t.clientCaBundle?.current() ?? t.clientCa, t.requestHeaderCaBundle?.current() ?? requestHeaderCaPem]
      .filter(Boolean)
      .join('\n') || undefined
  );
}

/** The SNI certificates now. */
export function currentSni(t: ServingTlsOptions): SniCert[] | undefined {
  return t.sniPairs ? t.sniPairs.map((s) => ({ ...s.pair.current(), names: s.names })) : t.sni;
}

/** Starts watching every file of `t`, applying changes to `server`; `stop()` ends the polling. */
export function watchServingTls(
  t: ServingTlsOptions,
  server: RunningServer,
  requestHeaderCaPem?: string,
): { stop(): void } {
  const watched: { start(): void; stop(): void }[] = [];
  for (const bundle of [t.clientCaBundle, t.requestHeaderCaBundle]) {
    if (!bundle) continue;
    bundle.onChange(() => server.setClientCa(certificateRequestCas(t, requestHeaderCaPem)));
    watched.push(bundle);
  }
  if (t.servingPair) {
    t.servingPair.onChange((pair) => server.setServing(pair));
    watched.push(t.servingPair);
  }
  for (const { pair } of t.sniPairs ?? []) {
    pair.onChange(() => server.setSni(currentSni(t) ?? []));
    watched.push(pair);
  }
  watched.forEach((w) => w.start());
  return { stop: () => watched.forEach((w) => w.stop()) };
}
