/**
 * A CA bundle read from a file and re-read when the file changes, after upstream's
 * dynamiccertificates.DynamicFileCAContent (staging/src/k8s.io/apiserver/pkg/server/
 * dynamiccertificates/dynamic_cafile_content.go), on the polling core of `dynamic-file.ts`: a new
 * bundle that does not parse as one or more certificates keeps the old one and is logged.
 *
 * Used for --client-ca-file (purpose `client-ca-bundle`) and --requestheader-client-ca-file
 * (purpose `request-header`), upstream's two names.
 *
 * Contract: `current()` is always a bundle that parsed; `onChange` listeners are called with it.
 */
import { X509Certificate } from 'node:crypto';
import { DynamicFileContent } from './dynamic-file.js';
import { splitPem } from './x509.js';

export type CaListener = (pem: string) => void;

/** Throws when `pem` holds no certificate or one that does not parse. */
export function validateCaBundle(pem: string, file: string): void {
  const blocks = splitPem(pem);
  if (!blocks.length)
    throw new Error(`unable to load "${file}": data does not contain any valid RSA or ECDSA certificates`);
  for (const b of blocks) new X509Certificate(b);
}

export class DynamicCaBundle extends DynamicFileContent<string> {
  constructor(
    readonly file: string,
    log?: (msg: string) => void,
    initialPem?: string,
    purpose: 'client-ca-bundle' | 'request-header' = 'client-ca-bundle',
  ) {
    super({
      name: `${purpose}::${file}`,
      files: [file],
      what: 'CA bundle',
      loaded: 'Loaded a new CA Bundle and Verifier',
      log,
      initial: initialPem === undefined ? undefined : [initialPem],
      parse: ([pem]) => {
        validateCaBundle(pem, file);
        return pem;
      },
    });
  }
}
