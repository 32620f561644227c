/**
 * @module authz/config
 *
 * `--authorization-config` files (kind AuthorizationConfiguration, apiserver.config.k8s.io
 * v1/v1beta1/v1alpha1), after staging/src/k8s.io/apiserver/pkg/apis/apiserver/types.go, the
 * versions' defaults.go (authorizedTTL 5m, unauthorizedTTL 30s) and validation.go
 * `ValidateAuthorizationConfiguration` / `ValidateWebhookConfiguration`, whose field errors are
 * reproduced word for word and aggregated as `field.ErrorList.ToAggregate()` prints them. Also
 * the legacy flags (`--authorization-mode`, `--authorization-webhook-*`) as the same list, as
 * pkg/kubeapiserver/options/authorization.go builds it. CEL `matchConditions` are validated for
 * shape and then rejected: kubeauth does not evaluate CEL.
 */
import { statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { parse } from 'yaml';
import { fieldErrorString, type FieldError } from '../api/errors.js';
import { formatGoDuration, parseGoDuration } from './duration.js';
import {
  DEFAULT_AUTHORIZED_TTL_MS,
  DEFAULT_UNAUTHORIZED_TTL_MS,
  type WebhookAuthorizerSpec,
} from './webhook.js';

export const AUTHORIZER_TYPES = ['ABAC', 'AlwaysAllow', 'AlwaysDeny', 'Node', 'RBAC', 'Webhook'] as const;
export type AuthorizerType = (typeof AUTHORIZER_TYPES)[number];
const REPEATABLE = new Set(['Webhook']);
const VERSIONS = ['v1', 'v1beta1', 'v1alpha1'].map((v) => `apiserver.config.k8s.io/${v}`);

/** One entry of the ordered chain. */
export type AuthorizerConfig =
  | { type: 'Webhook'; name: string; webhook: WebhookAuthorizerSpec }
  | { type: Exclude<AuthorizerType, 'Webhook'>; name: string };

/** Invalid configuration; `message` is the upstream aggregate, `errors` the single field errors. */
export class AuthorizationConfigError extends Error {
  constructor(readonly errors: FieldError[]) {
    super(errors.length === 1 ? fieldErrorString(errors[0]) : `[${errors.map(fieldErrorString).join(', ')}]`);
    this.name = 'AuthorizationConfigError';
  }
}

type Obj = Record<string, any>;
const q = (s: unknown): string => JSON.stringify(String(s));
const required = (field: string, detail = ''): FieldError => ({ type: 'FieldValueRequired', field, detail });
const invalid = (field: string, value: unknown, detail: string): FieldError => ({
  type: 'FieldValueInvalid',
  field,
  value,
  detail,
});
const notSupported = (field: string, value: unknown, supported: readonly string[]): FieldError => ({
  type: 'FieldValueNotSupported',
  field,
  value,
  detail: `supported values: ${supported.map(q).join(', ')}`,
});
const duplicate = (field: string, value: unknown): FieldError => ({
  type: 'FieldValueDuplicate',
  field,
  value,
});

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
function dns1123SubdomainErrors(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 253) errs.push('must be no more than 253 characters');
  if (!DNS1123_SUBDOMAIN.test(v)) {
    errs.push(
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    );
  }
  return errs;
}

/** metav1.Duration: a Go duration string; absent = 0. Decoding errors throw like the decoder. */
function duration(v: unknown): number {
  if (v === undefined || v === null) return 0;
  if (typeof v !== 'string')
    throw new Error(`invalid duration: ${JSON.stringify(v)}, expected a string such as "3s"`);
  return parseGoDuration(v);
}

/** Parses and validates an AuthorizationConfiguration (YAML or JSON). Throws on any error. */
export function parseAuthorizationConfiguration(text: string): AuthorizerConfig[] {
  const doc = parse(text) as Obj;
  if (!doc || typeof doc !== 'object') throw new Error('authorization config is not a mapping');
  if (doc.kind !== 'AuthorizationConfiguration' || !VERSIONS.includes(doc.apiVersion)) {
    throw new Error(`no kind ${q(doc.kind ?? '')} is registered for version ${q(doc.apiVersion ?? '')}`);
  }
  const list: Obj[] = Array.isArray(doc.authorizers) ? doc.authorizers : [];
  const errs: FieldError[] = [];
  const out: AuthorizerConfig[] = [];
  if (list.length === 0)
    errs.push(required('authorizers', 'at least one authorization mode must be defined'));
  const seenTypes = new Set<string>();
  const seenNames = new Set<string>();
  list.forEach((a, i) => {
    const p = `authorizers[${i}]`;
    const type = String(a?.type ?? '');
    if (!type) return void errs.push(required(`${p}.type`));
    if (!(AUTHORIZER_TYPES as readonly string[]).includes(type)) {
      return void errs.push(notSupported(`${p}.type`, type, AUTHORIZER_TYPES));
    }
    if (seenTypes.has(type) && !REPEATABLE.has(type)) return void errs.push(duplicate(`${p}.type`, type));
    seenTypes.add(type);
    const name = String(a.name ?? '');
    if (!name) errs.push(required(`${p}.name`));
    else if (seenNames.has(name)) errs.push(duplicate(`${p}.name`, name));
    else {
      const bad = dns1123SubdomainErrors(name);
      if (bad.length) errs.push(invalid(`${p}.name`, name, `authorizer name is invalid: ${bad.join(', ')}`));
    }
    seenNames.add(name);
    if (type !== 'Webhook') {
      if (a.webhook != null)
        errs.push(invalid(`${p}.webhook`, 'non-null', 'may only be specified when type=Webhook'));
      out.push({ type: type as Exclude<AuthorizerType, 'Webhook'>, name });
      return;
    }
    if (a.webhook == null) return void errs.push(required(`${p}.webhook`, 'required when type=Webhook'));
    const spec = validateWebhook(p, name, a.webhook, errs);
    if (spec) out.push({ type: 'Webhook', name, webhook: spec });
  });
  if (errs.length) throw new AuthorizationConfigError(errs);
  return out;
}

function validateWebhook(
  p: string,
  name: string,
  w: Obj,
  errs: FieldError[],
): WebhookAuthorizerSpec | undefined {
  const before = errs.length;
  const timeout = duration(w.timeout);
  const authorizedTTL = duration(w.authorizedTTL) || DEFAULT_AUTHORIZED_TTL_MS;
  const unauthorizedTTL = duration(w.unauthorizedTTL) || DEFAULT_UNAUTHORIZED_TTL_MS;
  if (timeout === 0) errs.push(required(`${p}.timeout`));
  else if (timeout > 30_000 || timeout < 0) {
    errs.push(invalid(`${p}.timeout`, formatGoDuration(timeout), 'must be > 0s and <= 30s'));
  }
  if (authorizedTTL < 0)
    errs.push(invalid(`${p}.authorizedTTL`, formatGoDuration(authorizedTTL), 'must be > 0s'));
  if (unauthorizedTTL < 0) {
    errs.push(invalid(`${p}.unauthorizedTTL`, formatGoDuration(unauthorizedTTL), 'must be > 0s'));
  }
  const sarVersion = String(w.subjectAccessReviewVersion ?? '');
  if (!sarVersion) errs.push(required(`${p}.subjectAccessReviewVersion`));
  else if (sarVersion !== 'v1' && sarVersion !== 'v1beta1') {
    errs.push(notSupported(`${p}.subjectAccessReviewVersion`, sarVersion, ['v1', 'v1beta1']));
  }
  const conditions: Obj[] = Array.isArray(w.matchConditions) ? w.matchConditions : [];
  const mcVersion = String(w.matchConditionSubjectAccessReviewVersion ?? '');
  if (!mcVersion) {
    if (conditions.length) {
      errs.push(
        required(
          `${p}.matchConditionSubjectAccessReviewVersion`,
          'required if match conditions are specified',
        ),
      );
    }
  } else if (mcVersion !== 'v1') {
    errs.push(notSupported(`${p}.matchConditionSubjectAccessReviewVersion`, mcVersion, ['v1']));
  }
  const failurePolicy = String(w.failurePolicy ?? '');
  if (!failurePolicy) errs.push(required(`${p}.failurePolicy`));
  else if (failurePolicy !== 'NoOpinion' && failurePolicy !== 'Deny') {
    errs.push(notSupported(`${p}.failurePolicy`, failurePolicy, ['NoOpinion', 'Deny']));
  }
  const ci: Obj = w.connectionInfo ?? {};
  const ciType = String(ci.type ?? '');
  const kcf = ci.kubeConfigFile;
  const kcPath = `${p}.connectionInfo.kubeConfigFile`;
  if (!ciType) errs.push(required(`${p}.connectionInfo.type`));
  else if (ciType === 'InClusterConfig') {
    if (kcf != null) errs.push(invalid(kcPath, kcf, 'can only be set when type=KubeConfigFile'));
  } else if (ciType === 'KubeConfigFile') {
    if (!kcf) errs.push(required(kcPath));
    else if (!isAbsolute(String(kcf))) errs.push(invalid(kcPath, kcf, 'must be an absolute path'));
    else {
      try {
        if (!statSync(String(kcf)).isFile()) errs.push(invalid(kcPath, kcf, 'must be a regular file'));
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        const msg = err.code === 'ENOENT' ? `stat ${kcf}: no such file or directory` : err.message;
        errs.push(invalid(kcPath, kcf, `error loading file: ${msg}`));
      }
    }
  } else {
    errs.push(notSupported(`${p}.connectionInfo.type`, ciType, ['InClusterConfig', 'KubeConfigFile']));
  }
  validateMatchConditions(p, conditions, errs);
  if (errs.length > before) return undefined;
  return {
    name,
    timeoutMs: timeout,
    authorizedTTLMs: authorizedTTL,
    unauthorizedTTLMs: unauthorizedTTL,
    subjectAccessReviewVersion: sarVersion as 'v1' | 'v1beta1',
    failurePolicy: failurePolicy as 'NoOpinion' | 'Deny',
    connectionInfo:
      ciType === 'InClusterConfig'
        ? { type: 'InClusterConfig' }
        : { type: 'KubeConfigFile', kubeConfigFile: String(kcf) },
  };
}

function validateMatchConditions(p: string, conditions: Obj[], errs: FieldError[]): void {
  if (conditions.length > 64) {
    errs.push({
      type: 'FieldValueTooMany',
      field: `${p}.matchConditions`,
      detail: `must have at most 64 items`,
    });
    return;
  }
  const seen = new Set<string>();
  conditions.forEach((c, i) => {
    const f = `${p}.matchConditions[${i}].expression`;
    const expr = String(c?.expression ?? '');
    if (!expr.trim()) errs.push(required(f));
    else if (seen.has(expr)) errs.push(duplicate(f, expr));
    seen.add(expr);
  });
  if (conditions.length) {
    errs.push({
      type: 'FieldValueForbidden',
      field: `${p}.matchConditions`,
      detail: 'not supported: kubeauth does not evaluate CEL match conditions',
    });
  }
}

/** The legacy flags, as kube-apiserver turns them into the same list. */
export interface LegacyAuthorizationFlags {
  /** `--authorization-mode`, e.g. ['Node', 'RBAC']. */
  modes: string[];
  /** `--authorization-webhook-config-file`. */
  webhookConfigFile?: string;
  /** `--authorization-webhook-version` (default v1beta1). */
  webhookVersion?: 'v1' | 'v1beta1';
  /** `--authorization-webhook-cache-authorized-ttl` / `-unauthorized-ttl`, ms (5m / 30s). */
  webhookAuthorizedTTLMs?: number;
  webhookUnauthorizedTTLMs?: number;
}

/** Builds the chain for the legacy flags: webhook named "default", 30s timeout, NoOpinion on error. */
export function legacyAuthorizerConfigs(f: LegacyAuthorizationFlags): AuthorizerConfig[] {
  return f.modes.map((mode): AuthorizerConfig => {
    if (!(AUTHORIZER_TYPES as readonly string[]).includes(mode)) {
      throw new Error(`authorization-mode ${q(mode)} is not a valid mode`);
    }
    if (mode !== 'Webhook')
      return { type: mode as Exclude<AuthorizerType, 'Webhook'>, name: mode.toLowerCase() };
    if (!f.webhookConfigFile)
      throw new Error('authorization-mode Webhook requires --authorization-webhook-config-file');
    return {
      type: 'Webhook',
      name: 'default',
      webhook: {
        name: 'default',
        timeoutMs: 30_000,
        authorizedTTLMs: f.webhookAuthorizedTTLMs ?? DEFAULT_AUTHORIZED_TTL_MS,
        unauthorizedTTLMs: f.webhookUnauthorizedTTLMs ?? DEFAULT_UNAUTHORIZED_TTL_MS,
        subjectAccessReviewVersion: f.webhookVersion ?? 'v1beta1',
        failurePolicy: 'NoOpinion',
        connectionInfo: { type: 'KubeConfigFile', kubeConfigFile: f.webhookConfigFile },
      },
    };
  });
}
