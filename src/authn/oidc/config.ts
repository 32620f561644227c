/**
 * --authentication-config (AuthenticationConfiguration, apiserver.config.k8s.io v1beta1 / v1) and
 * the legacy --oidc-* flags as the same structure. Validation follows
 * staging/src/k8s.io/apiserver/pkg/apis/apiserver/validation/validation.go
 * (ValidateAuthenticationConfiguration) with its field paths and texts; the legacy conversion
 * follows pkg/kubeapiserver/options/authentication.go (ToAuthenticationConfig).
 */
import { X509Certificate } from 'node:crypto';
import { parse } from 'yaml';
import { fieldErrorString, type FieldError } from '../../api/errors.js';
import { compileExpression } from './cel.js';
import type {
  AuthenticationConfiguration,
  ClaimMappings,
  JWTAuthenticator,
  PrefixedClaimOrExpression,
} from './types.js';

const VERSIONS = [
  'apiserver.config.k8s.io/v1beta1',
  'apiserver.config.k8s.io/v1alpha1',
  'apiserver.config.k8s.io/v1',
];

export class AuthenticationConfigError extends Error {
  constructor(readonly errors: FieldError[]) {
    super(errors.length === 1 ? fieldErrorString(errors[0]) : `[${errors.map(fieldErrorString).join(', ')}]`);
    this.name = 'AuthenticationConfigError';
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const optStr = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const required = (field: string, detail = ''): FieldError => ({ type: 'FieldValueRequired', field, detail });
const invalid = (field: string, value: unknown, detail: string): FieldError => ({
  type: 'FieldValueInvalid',
  field,
  value,
  detail,
});
const duplicate = (field: string, value: unknown): FieldError => ({
  type: 'FieldValueDuplicate',
  field,
  value,
});

/** Parses and validates the file's text; throws AuthenticationConfigError or a decode error. */
export function parseAuthenticationConfiguration(
  text: string,
  disallowedIssuers: string[] = [],
): AuthenticationConfiguration {
  const doc = parse(text) as unknown;
  if (!isObj(doc)) throw new Error('authentication config is not a mapping');
  if (doc.kind !== 'AuthenticationConfiguration' || !VERSIONS.includes(str(doc.apiVersion)))
    throw new Error(
      `no kind ${JSON.stringify(str(doc.kind))} is registered for version ${JSON.stringify(str(doc.apiVersion))}`,
    );
  const list = Array.isArray(doc.jwt) ? (doc.jwt as unknown[]) : [];
  const cfg: AuthenticationConfiguration = { jwt: list.map((j) => decodeJwt(isObj(j) ? j : {})) };
  if (isObj(doc.anonymous))
    cfg.anonymous = {
      enabled: doc.anonymous.enabled === true,
      conditions: (Array.isArray(doc.anonymous.conditions) ? doc.anonymous.conditions : []).map((c) => ({
        path: str(isObj(c) ? c.path : undefined),
      })),
    };
  const errs = validateAuthenticationConfiguration(cfg, disallowedIssuers);
  if (errs.length) throw new AuthenticationConfigError(errs);
  return cfg;
}

function decodePrefixed(v: unknown): PrefixedClaimOrExpression {
  const o = isObj(v) ? v : {};
  return { claim: optStr(o.claim), prefix: optStr(o.prefix), expression: optStr(o.expression) };
}

function decodeJwt(j: Obj): JWTAuthenticator {
  const iss = isObj(j.issuer) ? j.issuer : {};
  const cm = isObj(j.claimMappings) ? j.claimMappings : {};
  const uid = isObj(cm.uid) ? cm.uid : {};
  const arr = (v: unknown): Obj[] => (Array.isArray(v) ? v.map((x) => (isObj(x) ? x : {})) : []);
  const mappings: ClaimMappings = {
    username: decodePrefixed(cm.username),
    groups: decodePrefixed(cm.groups),
    uid: { claim: optStr(uid.claim), expression: optStr(uid.expression) },
    extra: arr(cm.extra).map((e) => ({ key: str(e.key), valueExpression: str(e.valueExpression) })),
  };
  return {
    issuer: {
      url: str(iss.url),
      discoveryURL: optStr(iss.discoveryURL),
      certificateAuthority: optStr(iss.certificateAuthority),
      audiences: Array.isArray(iss.audiences) ? iss.audiences.map(String) : [],
      audienceMatchPolicy: optStr(iss.audienceMatchPolicy),
      egressSelectorType: optStr(iss.egressSelectorType),
    },
    claimValidationRules: arr(j.claimValidationRules).map((r) => ({
      claim: optStr(r.claim),
      requiredValue: optStr(r.requiredValue),
      expression: optStr(r.expression),
      message: optStr(r.message),
    })),
    claimMappings: mappings,
    userValidationRules: arr(j.userValidationRules).map((r) => ({
      expression: str(r.expression),
      message: optStr(r.message),
    })),
  };
}

export function validateAuthenticationConfiguration(
  c: AuthenticationConfiguration,
  disallowedIssuers: string[] = [],
): FieldError[] {
  const errs: FieldError[] = [];
  if (c.jwt.length > 64)
    return [{ type: 'FieldValueTooMany', field: 'jwt', detail: `must have at most 64 items` }];
  const issuers = new Set<string>();
  const discovery = new Set<string>();
  c.jwt.forEach((a, i) => {
    const p = `jwt[${i}]`;
    validateJwtAuthenticator(a, p, disallowedIssuers, errs);
    if (issuers.has(a.issuer.url)) errs.push(duplicate(`${p}.issuer.url`, a.issuer.url));
    issuers.add(a.issuer.url);
    const d = a.issuer.discoveryURL;
    if (d) {
      if (discovery.has(d)) errs.push(duplicate(`${p}.issuer.discoveryURL`, d));
      discovery.add(d);
    }
  });
  if (c.anonymous && !c.anonymous.enabled && c.anonymous.conditions?.length)
    errs.push(
      invalid(
        'anonymous.conditions',
        c.anonymous.conditions,
        'enabled should be set to true when conditions are defined',
      ),
    );
  return errs;
}

function validateURL(u: string, disallowed: string[], p: string, errs: FieldError[]): void {
  if (disallowed.includes(u))
    errs.push(
      invalid(p, u, `URL must not overlap with disallowed issuers: [${[...disallowed].sort().join(' ')}]`),
    );
  let parsed: URL;
  try {
    parsed = new URL(u);
  } catch (e) {
    errs.push(invalid(p, u, (e as Error).message));
    return;
  }
  if (parsed.protocol !== 'https:') errs.push(invalid(p, u, 'URL scheme must be https'));
  if (parsed.username || parsed.password)
    errs.push(invalid(p, u, 'URL must not contain a username or password'));
  if (parsed.search) errs.push(invalid(p, u, 'URL must not contain a query'));
  if (parsed.hash) errs.push(invalid(p, u, 'URL must not contain a fragment'));
}

function compileInto(expr: string, v: 'claims' | 'user', p: string, errs: FieldError[]): boolean {
  try {
    compileExpression(expr, v);
    return true;
  } catch (e) {
    errs.push(invalid(p, expr, (e as Error).message));
    return false;
  }
}

/** hasSelectExp, approximated on the source text: `claims.<field>` or `claims[?'<field>']`-like. */
const usesClaim = (expr: string | undefined, field: string): boolean =>
  !!expr &&
  new RegExp(`\\bclaims\\s*\\.\\s*\\??${field}\\b|\\bclaims\\s*\\[\\s*\\??\\s*['"]${field}['"]`).test(expr);

function validatePrefixed(
  m: PrefixedClaimOrExpression | undefined,
  p: string,
  needed: boolean,
  errs: FieldError[],
): void {
  const claim = m?.claim ?? '';
  const expr = m?.expression ?? '';
  if (expr && claim) errs.push(invalid(p, '', "claim and expression can't both be set"));
  else if (!expr && !claim) {
    if (needed) errs.push(required(p, 'claim or expression is required'));
  } else if (expr) {
    if (m?.prefix !== undefined)
      errs.push(invalid(`${p}.prefix`, m.prefix, 'may not be specified when expression is set'));
    compileInto(expr, 'claims', `${p}.expression`, errs);
  } else if (m?.prefix === undefined)
    errs.push(
      required(
        `${p}.prefix`,
        'prefix is required when claim is set. It can be set to an empty string to disable prefixing',
      ),
    );
}

function validateJwtAuthenticator(
  a: JWTAuthenticator,
  p: string,
  disallowed: string[],
  errs: FieldError[],
): void {
  const ip = `${p}.issuer`;
  const iss = a.issuer;
  if (!iss.url) errs.push(required(`${ip}.url`));
  else validateURL(iss.url, disallowed, `${ip}.url`, errs);
  if (iss.discoveryURL) {
    if (iss.url && iss.url.replace(/\/+$/, '') === iss.discoveryURL.replace(/\/+$/, ''))
      errs.push(invalid(`${ip}.discoveryURL`, iss.discoveryURL, 'discoveryURL must be different from URL'));
    validateURL(iss.discoveryURL, [], `${ip}.discoveryURL`, errs);
  }
  if (!iss.audiences.length)
    errs.push(required(`${ip}.audiences`, `at least one ${ip}.audiences is required`));
  else {
    const seen = new Set<string>();
    iss.audiences.forEach((aud, i) => {
      if (!aud) errs.push(required(`${ip}.audiences[${i}]`));
      if (seen.has(aud)) errs.push(duplicate(`${ip}.audiences[${i}]`, aud));
      seen.add(aud);
    });
    const pol = iss.audienceMatchPolicy ?? '';
    if (iss.audiences.length > 1 && pol !== 'MatchAny')
      errs.push(
        invalid(
          `${ip}.audienceMatchPolicy`,
          pol,
          'audienceMatchPolicy must be MatchAny for multiple audiences',
        ),
      );
    if (iss.audiences.length === 1 && pol && pol !== 'MatchAny')
      errs.push(
        invalid(
          `${ip}.audienceMatchPolicy`,
          pol,
          'audienceMatchPolicy must be empty or MatchAny for single audience',
        ),
      );
  }
  // validation.go validateEgressSelector. kubeauth has no egress selector
  // (--egress-selector-config-file): a valid value is refused like upstream with its feature gate
  // off, so that issuer traffic never silently bypasses the network path the config asks for.
  const egress = iss.egressSelectorType;
  if (egress) {
    if (egress !== 'controlplane' && egress !== 'cluster')
      errs.push(
        invalid(`${ip}.egressSelectorType`, egress, 'egress selector must be either controlplane or cluster'),
      );
    else
      errs.push(
        invalid(
          `${ip}.egressSelectorType`,
          egress,
          'egress selector is not supported: kubeauth has no --egress-selector-config-file',
        ),
      );
  }
  if (iss.certificateAuthority) {
    const blocks = iss.certificateAuthority.match(
      /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g,
    );
    try {
      if (!blocks) throw new Error('data does not contain any valid RSA or ECDSA certificates');
      for (const b of blocks) new X509Certificate(b);
    } catch (e) {
      errs.push(invalid(`${ip}.certificateAuthority`, '<omitted>', (e as Error).message));
    }
  }
  let verifiedUsed = false;
  const cp = `${p}.claimValidationRules`;
  const seenClaims = new Set<string>();
  const seenExprs = new Set<string>();
  (a.claimValidationRules ?? []).forEach((r, i) => {
    const rp = `${cp}[${i}]`;
    if (r.claim && r.expression) errs.push(invalid(rp, r.claim, "claim and expression can't both be set"));
    else if (!r.claim && !r.expression) errs.push(required(rp, 'claim or expression is required'));
    else if (r.claim) {
      if (r.message) errs.push(invalid(`${rp}.message`, r.message, 'may not be specified when claim is set'));
      if (seenClaims.has(r.claim)) errs.push(duplicate(`${rp}.claim`, r.claim));
      seenClaims.add(r.claim);
    } else if (r.expression) {
      if (r.requiredValue)
        errs.push(
          invalid(`${rp}.requiredValue`, r.requiredValue, 'may not be specified when expression is set'),
        );
      if (seenExprs.has(r.expression)) return void errs.push(duplicate(`${rp}.expression`, r.expression));
      seenExprs.add(r.expression);
      if (compileInto(r.expression, 'claims', `${rp}.expression`, errs))
        verifiedUsed ||= usesClaim(r.expression, 'email_verified');
    }
  });
  const mp = `${p}.claimMappings`;
  const m = a.claimMappings;
  validatePrefixed(m.username, `${mp}.username`, true, errs);
  validatePrefixed(m.groups, `${mp}.groups`, false, errs);
  if (m.uid?.claim && m.uid.expression)
    errs.push(invalid(`${mp}.uid`, '', "claim and expression can't both be set"));
  else if (m.uid?.expression) compileInto(m.uid.expression, 'claims', `${mp}.uid.expression`, errs);
  const seenKeys = new Set<string>();
  (m.extra ?? []).forEach((e, i) => {
    const ep = `${mp}.extra[${i}]`;
    validateExtraKey(e.key, `${ep}.key`, errs);
    if (seenKeys.has(e.key)) return void errs.push(duplicate(`${ep}.key`, e.key));
    seenKeys.add(e.key);
    if (!e.valueExpression) return void errs.push(required(`${ep}.valueExpression`));
    if (compileInto(e.valueExpression, 'claims', `${ep}.valueExpression`, errs))
      verifiedUsed ||= usesClaim(e.valueExpression, 'email_verified');
  });
  const ux = m.username.expression;
  if (ux && !m.username.claim) verifiedUsed ||= usesClaim(ux, 'email_verified');
  if (ux && !m.username.claim && usesClaim(ux, 'email') && !verifiedUsed)
    errs.push(
      invalid(
        `${mp}.username.expression`,
        ux,
        'claims.email_verified must be used in claimMappings.username.expression or claimMappings.extra[*].valueExpression or claimValidationRules[*].expression when claims.email is used in claimMappings.username.expression',
      ),
    );
  const up = `${p}.userValidationRules`;
  const seenUser = new Set<string>();
  (a.userValidationRules ?? []).forEach((r, i) => {
    const rp = `${up}[${i}]`;
    if (!r.expression) return void errs.push(required(`${rp}.expression`));
    if (seenUser.has(r.expression)) return void errs.push(duplicate(`${rp}.expression`, r.expression));
    seenUser.add(r.expression);
    compileInto(r.expression, 'user', `${rp}.expression`, errs);
  });
}

const DNS1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** utilvalidation.IsDomainPrefixedPath plus the lowercase and reserved-domain rules. */
function validateExtraKey(key: string, p: string, errs: FieldError[]): void {
  if (!key) return void errs.push(required(p));
  const [domain, path] = key.includes('/')
    ? [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)]
    : ['', ''];
  if (!domain || !path) errs.push(invalid(p, key, 'must be a domain-prefixed path (such as "acme.io/foo")'));
  else if (!DNS1123.test(domain))
    errs.push(
      invalid(
        p,
        domain,
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      ),
    );
  if (key !== key.toLowerCase()) errs.push(invalid(p, key, 'must be lowercase'));
  if (/^(.*\.)?(kubernetes\.io|k8s\.io)$/.test(domain))
    errs.push(invalid(p, key, 'k8s.io, kubernetes.io and their subdomains are reserved for Kubernetes use'));
}

export interface LegacyOidcFlags {
  issuerURL: string;
  clientID: string;
  caPem?: string;
  usernameClaim: string;
  usernamePrefix: string;
  groupsClaim: string;
  groupsPrefix: string;
  requiredClaims: Record<string, string>;
}

/**
 * authentication.go ToAuthenticationConfig for the --oidc-* flags: audiences = [client id];
 * username prefix "" for `email`, else `<issuer>#` when unset, "" for "-"; groups with their prefix.
 */
export function legacyOidcToJwt(f: LegacyOidcFlags): JWTAuthenticator {
  let prefix = f.usernamePrefix;
  if (!prefix) prefix = f.usernameClaim === 'email' ? '' : `${f.issuerURL}#`;
  if (prefix === '-') prefix = '';
  return {
    issuer: { url: f.issuerURL, audiences: [f.clientID], certificateAuthority: f.caPem },
    claimValidationRules: Object.entries(f.requiredClaims)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([claim, requiredValue]) => ({ claim, requiredValue })),
    claimMappings: {
      username: { claim: f.usernameClaim, prefix },
      groups: f.groupsClaim ? { claim: f.groupsClaim, prefix: f.groupsPrefix } : undefined,
    },
  };
}
