/**
 * `--encryption-provider-config`: an apiserver.config.k8s.io/v1 EncryptionConfiguration
 * (staging/src/k8s.io/apiserver/pkg/apis/apiserver/types_encryption.go), validated with the texts of
 * staging/src/k8s.io/apiserver/pkg/apis/apiserver/validation/validation_encryption.go (atLeastOneRequiredErrFmt
 * `at least one %s is required` with the field path, keyLenErrFmt, base64EncodingErr) and turned
 * into one {@link PrefixTransformers} per resources[] entry (encryptionconfig/config.go).
 *
 * `resources[].resources` names `secrets`, `configmaps`, `deployments.apps`, `*.apps`, `*.` (every
 * core resource) or `*.*`; the first entry that matches a resource decides. Providers in order:
 * the first encrypts, all decrypt. Supported: aesgcm, aescbc (16, 24 or 32-byte keys), identity.
 * Refused with a reason: secretbox (XSalsa20-Poly1305 is not in node:crypto and no maintained
 * NaCl package is a dependency) and kms (no KMS plugin gRPC client).
 *
 * @module
 */
import { parse } from 'yaml';
import { aesCbc, aesGcm, identity, PrefixTransformers, type ValueTransformer } from './value-transformers.js';

export interface GroupResource {
  group: string;
  resource: string;
}

export interface EncryptionEntry {
  /** As written: `secrets`, `deployments.apps`, `*.apps`, `*.`, `*.*`. */
  resources: string[];
  transformers: PrefixTransformers;
}

export interface EncryptionConfig {
  entries: EncryptionEntry[];
  /** The transformers of a resource, or undefined when no entry names it (stored as is). */
  forResource(gr: GroupResource): PrefixTransformers | undefined;
}

const PROVIDERS = ['aesgcm', 'aescbc', 'secretbox', 'identity', 'kms'] as const;
const AES_KEY_SIZES = [16, 24, 32];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Does a resources[] pattern cover gr? (encryptionconfig's exact, `*.group` and `*.*` forms). */
export function patternMatches(pattern: string, gr: GroupResource): boolean {
  if (pattern === '*.*') return true;
  const dot = pattern.indexOf('.');
  const resource = dot < 0 ? pattern : pattern.slice(0, dot);
  const group = dot < 0 ? '' : pattern.slice(dot + 1);
  if (group !== gr.group) return false;
  return resource === '*' || resource === gr.resource;
}

function decodeSecret(secret: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(secret) || secret.length % 4 !== 0) return undefined;
  return Buffer.from(secret, 'base64');
}

function keyTransformers(
  kind: 'aesgcm' | 'aescbc',
  body: unknown,
  path: string,
  errs: string[],
): ValueTransformer[] {
  const keys = isObj(body) ? body.keys : undefined;
  if (!Array.isArray(keys) || keys.length === 0) {
    errs.push(`${path}.keys: Required value: at least one keys is required`);
    return [];
  }
  const out: ValueTransformer[] = [];
  const seen = new Set<string>();
  keys.forEach((k, i) => {
    const kp = `${path}.keys[${i}]`;
    const name = isObj(k) && typeof k.name === 'string' ? k.name : '';
    const secret = isObj(k) && typeof k.secret === 'string' ? k.secret : '';
    if (!name) errs.push(`${kp}.name: Required value: name is a mandatory field for a key`);
    else if (name.includes(':')) errs.push(`${kp}.name: Invalid value: "${name}": must not contain ':'`);
    else if (seen.has(name)) errs.push(`${kp}.name: Duplicate value: "${name}"`);
    seen.add(name);
    if (!secret) {
      errs.push(`${kp}.secret: Required value: secret is a mandatory field for a key`);
      return;
    }
    const bytes = decodeSecret(secret);
    if (!bytes) {
      errs.push(`${kp}.secret: Invalid value: "REDACTED": secrets must be base64 encoded`);
      return;
    }
    if (!AES_KEY_SIZES.includes(bytes.length)) {
      errs.push(
        `${kp}.secret: Invalid value: "REDACTED": secret is not of the expected length, got ${bytes.length}, expected one of [16 24 32]`,
      );
      return;
    }
    if (name && !name.includes(':')) out.push(kind === 'aesgcm' ? aesGcm(name, bytes) : aesCbc(name, bytes));
  });
  return out;
}

function providerTransformers(p: unknown, path: string, errs: string[]): ValueTransformer[] {
  const given = isObj(p) ? PROVIDERS.filter((n) => p[n] !== undefined && p[n] !== null) : [];
  const unknown = isObj(p) ? Object.keys(p).filter((k) => !(PROVIDERS as readonly string[]).includes(k)) : [];
  if (unknown.length) {
    errs.push(`${path}: Invalid value: unknown field "${unknown[0]}"`);
    return [];
  }
  if (given.length === 0) {
    errs.push(
      `${path}: Invalid value: {}: provider does not contain any of the expected providers: KMS, AESGCM, AESCBC, Secretbox, Identity`,
    );
    return [];
  }
  if (given.length > 1) {
    errs.push(
      `${path}: Invalid value: "${given.join(',')}": more than one provider specified in a single element, should split into different list elements`,
    );
    return [];
  }
  const kind = given[0];
  const body = (p as Obj)[kind];
  switch (kind) {
    case 'aesgcm':
    case 'aescbc':
      return keyTransformers(kind, body, `${path}.${kind}`, errs);
    case 'identity':
      return [identity];
    case 'secretbox':
      errs.push(
        `${path}.secretbox: Unsupported value: "secretbox": not supported by kubeauth (XSalsa20-Poly1305 is not available in node:crypto); use aesgcm or aescbc`,
      );
      return [];
    case 'kms':
      errs.push(
        `${path}.kms: Unsupported value: "kms": KMS plugins are not supported by kubeauth; use aesgcm or aescbc`,
      );
      return [];
  }
}

/**
 * Parses and validates the file's text (YAML or JSON).
 * @throws Error `error while parsing file: <field errors>` as upstream.
 */
export function parseEncryptionConfig(text: string): EncryptionConfig {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    throw new Error(`error while parsing file: ${(e as Error).message.split('\n')[0]}`, { cause: e });
  }
  if (!isObj(doc)) throw new Error("error while parsing file: EncryptionConfiguration can't be nil");
  if (doc.kind !== 'EncryptionConfiguration' || doc.apiVersion !== 'apiserver.config.k8s.io/v1') {
    throw new Error(
      `error while parsing file: no kind "${String(doc.kind ?? '')}" is registered for version "${String(doc.apiVersion ?? '')}"; expected apiserver.config.k8s.io/v1, Kind=EncryptionConfiguration`,
    );
  }
  const errs: string[] = [];
  const entries: EncryptionEntry[] = [];
  const resources = doc.resources;
  if (!Array.isArray(resources) || resources.length === 0) {
    errs.push('resources: Required value: at least one resources is required');
  } else {
    resources.forEach((r, i) => {
      const rp = `resources[${i}]`;
      const names = isObj(r) && Array.isArray(r.resources) ? r.resources : [];
      if (names.length === 0)
        errs.push(`${rp}.resources: Required value: at least one ${rp}.resources is required`);
      names.forEach((n, j) => {
        if (typeof n !== 'string' || n === '' || n !== n.toLowerCase() || /\s/.test(n))
          errs.push(
            `${rp}.resources[${j}]: Invalid value: "${String(n)}": resource name should be lowercase`,
          );
      });
      const providers = isObj(r) && Array.isArray(r.providers) ? r.providers : [];
      if (providers.length === 0)
        errs.push(`${rp}.providers: Required value: at least one ${rp}.providers is required`);
      const ts = providers.flatMap((p, j) => providerTransformers(p, `${rp}.providers[${j}]`, errs));
      if (ts.length > 0)
        entries.push({ resources: names.map(String), transformers: new PrefixTransformers(ts) });
    });
  }
  if (errs.length) throw new Error(`error while parsing file: ${errs.join(', ')}`);
  return {
    entries,
    forResource(gr) {
      return entries.find((e) => e.resources.some((p) => patternMatches(p, gr)))?.transformers;
    },
  };
}
