/**
 * The JWT (OIDC) authenticator options of `kubeauth serve`, after
 * pkg/kubeapiserver/options/authentication.go: the legacy --oidc-* flags become one
 * JWTAuthenticator; --authentication-config gives several (and the anonymous section) and is
 * reloaded when the file changes; as upstream (authentication.go, the reload loop of
 * ApplyTo), a reload that changes the anonymous section is refused ("anonymous: Forbidden:
 * changed from initial configuration file") and the running configuration stays: turning
 * anonymous access on or widening it takes a restart. Both are validated like the file
 * (service-account issuers are disallowed issuer URLs); they are mutually exclusive.
 */
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { JwtAuthenticators, fromAuthenticationConfiguration } from '../authn/oidc/authenticators.js';
import {
  AuthenticationConfigError,
  legacyOidcToJwt,
  parseAuthenticationConfiguration,
  validateAuthenticationConfiguration,
} from '../authn/oidc/config.js';
import { ALL_ASYMMETRIC_ALGS } from '../authn/oidc/jwt.js';
import { AnonymousSetting } from '../authn/oidc/anonymous-paths.js';
import type { AnonymousConfig } from '../authn/oidc/types.js';
import { FlagError, type FlagValues } from './flags.js';

const OIDC_FLAGS = [
  'oidc-issuer-url',
  'oidc-client-id',
  'oidc-ca-file',
  'oidc-username-claim',
  'oidc-username-prefix',
  'oidc-groups-claim',
  'oidc-groups-prefix',
  'oidc-required-claim',
  'oidc-signing-algs',
];

export interface ServeJwt {
  authenticators: JwtAuthenticators;
  /** With --authentication-config: the anonymous setting, following the file's reloads. */
  anonymous?: AnonymousSetting;
}

const ANONYMOUS_FORBIDDEN =
  'anonymous: Forbidden: --anonymous-auth flag cannot be set when anonymous field is configured in authentication configuration file';
const ANONYMOUS_CHANGED = 'anonymous: Forbidden: changed from initial configuration file';

/** key=value pairs, repeated or comma-separated (pflag mapStringString). */
function parseRequiredClaims(values: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of values.flatMap((v) => v.split(','))) {
    if (!pair) continue;
    const i = pair.indexOf('=');
    if (i <= 0)
      throw new FlagError(
        `invalid argument "${pair}" for "--oidc-required-claim" flag: ${pair} must be formatted as key=value`,
      );
    out[pair.slice(0, i)] = pair.slice(i + 1);
  }
  return out;
}

export function jwtFromFlags(
  f: FlagValues,
  set: Set<string>,
  serviceAccountIssuers: string[],
  apiAudiences: string[],
  log: (m: string) => void,
): ServeJwt | undefined {
  const file = String(f['authentication-config'] ?? '');
  const common = { apiAudiences, log };
  if (file) {
    const legacy = OIDC_FLAGS.filter((n) => set.has(n));
    if (legacy.length)
      throw new FlagError('authentication-config file and oidc-* flags are mutually exclusive');
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new FlagError(`--authentication-config: ${(e as Error).message}`);
    }
    let cfg;
    try {
      cfg = parseAuthenticationConfiguration(text, serviceAccountIssuers);
    } catch (e) {
      throw new FlagError(`invalid authentication config: ${(e as Error).message}`);
    }
    // authentication.go ToAuthenticationConfig: the flag and the file's section are exclusive;
    // without the section, --anonymous-auth (default true) decides.
    const flagAnonymous: AnonymousConfig = { enabled: Boolean(f['anonymous-auth']) };
    if (cfg.anonymous && set.has('anonymous-auth')) throw new FlagError(ANONYMOUS_FORBIDDEN);
    const authenticators = fromAuthenticationConfiguration(cfg, common);
    const anonymous = new AnonymousSetting(cfg.anonymous ?? flagAnonymous);
    authenticators.watch(file, text, {
      disallowedIssuers: serviceAccountIssuers,
      check: (next) => {
        if (next.anonymous && set.has('anonymous-auth')) throw new Error(ANONYMOUS_FORBIDDEN);
        // reflect.DeepEqual(originalFileAnonymousConfig, authConfig.Anonymous)
        if (!isDeepStrictEqual(next.anonymous, cfg.anonymous)) throw new Error(ANONYMOUS_CHANGED);
      },
    });
    return { authenticators, anonymous };
  }
  const issuerURL = String(f['oidc-issuer-url'] ?? '');
  const clientID = String(f['oidc-client-id'] ?? '');
  if (!issuerURL && !clientID) {
    const stray = OIDC_FLAGS.filter((n) => set.has(n));
    if (stray.length)
      throw new FlagError(`--${stray.join(', --')} need --oidc-issuer-url and --oidc-client-id`);
    return undefined;
  }
  if (!issuerURL || !clientID)
    throw new FlagError('oidc-issuer-url and oidc-client-id must be specified together');
  const algs = (f['oidc-signing-algs'] as string[]).flatMap((v) => v.split(',')).filter(Boolean);
  for (const alg of algs)
    if (!ALL_ASYMMETRIC_ALGS.includes(alg))
      throw new FlagError(
        `oidc-signing-algs: unsupported signing alg "${alg}", supported: ${ALL_ASYMMETRIC_ALGS.join(', ')}`,
      );
  let caPem: string | undefined;
  if (f['oidc-ca-file']) {
    try {
      caPem = readFileSync(String(f['oidc-ca-file']), 'utf8');
    } catch (e) {
      throw new FlagError(`--oidc-ca-file: ${(e as Error).message}`);
    }
  }
  const jwt = legacyOidcToJwt({
    issuerURL,
    clientID,
    caPem,
    usernameClaim: String(f['oidc-username-claim'] || 'sub'),
    usernamePrefix: String(f['oidc-username-prefix'] ?? ''),
    groupsClaim: String(f['oidc-groups-claim'] ?? ''),
    groupsPrefix: String(f['oidc-groups-prefix'] ?? ''),
    requiredClaims: parseRequiredClaims(f['oidc-required-claim'] as string[]),
  });
  const errs = validateAuthenticationConfiguration({ jwt: [jwt] }, serviceAccountIssuers);
  if (errs.length) throw new FlagError(new AuthenticationConfigError(errs).message);
  return { authenticators: new JwtAuthenticators([jwt], { ...common, signingAlgs: algs }) };
}
