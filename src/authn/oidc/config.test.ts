/**
 * AuthenticationConfiguration decoding and validation, rows after
 * staging/src/k8s.io/apiserver/pkg/apis/apiserver/validation/validation_test.go
 * (TestValidateAuthenticationConfiguration): upstream's field paths and texts; and the legacy
 * --oidc-* flags conversion (pkg/kubeapiserver/options/authentication_test.go).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { legacyOidcToJwt, parseAuthenticationConfiguration } from './config.js';

const doc = (jwt: string, extra = ''): string => `apiVersion: apiserver.config.k8s.io/v1beta1
kind: AuthenticationConfiguration
jwt:
${jwt}
${extra}`;

const good = `- issuer:
    url: https://issuer.example.com
    audiences: [my-client]
  claimMappings:
    username:
      claim: sub
      prefix: "oidc:"`;

const invalid = (text: string, message: string, disallowed: string[] = []) =>
  assert.throws(() => parseAuthenticationConfiguration(text, disallowed), { message });

test('a valid configuration decodes (v1beta1 and v1)', () => {
  const c = parseAuthenticationConfiguration(doc(good));
  assert.equal(c.jwt[0].issuer.url, 'https://issuer.example.com');
  assert.deepEqual(c.jwt[0].claimMappings.username, { claim: 'sub', prefix: 'oidc:', expression: undefined });
  const v1 = parseAuthenticationConfiguration(doc(good).replace('v1beta1', 'v1'));
  assert.equal(v1.jwt.length, 1);
});

test('unknown kind or version', () => {
  invalid('apiVersion: v1\nkind: Foo\n', 'no kind "Foo" is registered for version "v1"');
});

test('issuer url: required, https, no query/fragment/user, disallowed (SA issuers), duplicate', () => {
  invalid(doc(good.replace('https://issuer.example.com', '""')), 'jwt[0].issuer.url: Required value');
  invalid(
    doc(good.replace('https://issuer.example.com', 'http://issuer.example.com')),
    'jwt[0].issuer.url: Invalid value: "http://issuer.example.com": URL scheme must be https',
  );
  invalid(
    doc(good.replace('https://issuer.example.com', 'https://issuer.example.com?x=1')),
    'jwt[0].issuer.url: Invalid value: "https://issuer.example.com?x=1": URL must not contain a query',
  );
  invalid(
    doc(good, '').replace('url: https://issuer.example.com', 'url: https://kubernetes.default.svc'),
    'jwt[0].issuer.url: Invalid value: "https://kubernetes.default.svc": URL must not overlap with disallowed issuers: [https://kubernetes.default.svc]',
    ['https://kubernetes.default.svc'],
  );
  invalid(doc(`${good}\n${good}`), 'jwt[1].issuer.url: Duplicate value: "https://issuer.example.com"');
});

test('egressSelectorType (validation.go validateEgressSelector): refused, no egress selector here', () => {
  const withEgress = (v: string) =>
    doc(good.replace('audiences: [my-client]', `audiences: [my-client]\n    egressSelectorType: ${v}`));
  for (const v of ['controlplane', 'cluster'])
    invalid(
      withEgress(v),
      `jwt[0].issuer.egressSelectorType: Invalid value: "${v}": egress selector is not supported: kubeauth has no --egress-selector-config-file`,
    );
  invalid(
    withEgress('etcd'),
    'jwt[0].issuer.egressSelectorType: Invalid value: "etcd": egress selector must be either controlplane or cluster',
  );
});

test('audiences: required; several need MatchAny', () => {
  invalid(
    doc(good.replace('audiences: [my-client]', 'audiences: []')),
    'jwt[0].issuer.audiences: Required value: at least one jwt[0].issuer.audiences is required',
  );
  invalid(
    doc(good.replace('audiences: [my-client]', 'audiences: [a, b]')),
    'jwt[0].issuer.audienceMatchPolicy: Invalid value: "": audienceMatchPolicy must be MatchAny for multiple audiences',
  );
});

test('claim mappings: username required, prefix required with claim, not with expression, claim xor expression', () => {
  invalid(
    doc(good.replace(/ {2}claimMappings:[\s\S]*/, '  claimMappings: {}')),
    'jwt[0].claimMappings.username: Required value: claim or expression is required',
  );
  invalid(
    doc(good.replace('      prefix: "oidc:"', '')),
    'jwt[0].claimMappings.username.prefix: Required value: prefix is required when claim is set. It can be set to an empty string to disable prefixing',
  );
  invalid(
    doc(good.replace('claim: sub', 'expression: claims.sub')),
    'jwt[0].claimMappings.username.prefix: Invalid value: "oidc:": may not be specified when expression is set',
  );
  invalid(
    doc(good.replace('claim: sub', 'claim: sub\n      expression: claims.sub')),
    `jwt[0].claimMappings.username: Invalid value: "": claim and expression can't both be set`,
  );
});

test('CEL: a bad expression names the field; email needs email_verified', () => {
  assert.throws(
    () =>
      parseAuthenticationConfiguration(
        doc(good.replace('claim: sub\n      prefix: "oidc:"', 'expression: "claims.("')),
      ),
    {
      message:
        /^jwt\[0\]\.claimMappings\.username\.expression: Invalid value: "claims\.\(": compilation failed: ERROR:/,
    },
  );
  invalid(
    doc(good.replace('claim: sub\n      prefix: "oidc:"', 'expression: claims.email')),
    'jwt[0].claimMappings.username.expression: Invalid value: "claims.email": claims.email_verified must be used in claimMappings.username.expression or claimMappings.extra[*].valueExpression or claimValidationRules[*].expression when claims.email is used in claimMappings.username.expression',
  );
  const ok = parseAuthenticationConfiguration(
    doc(
      `${good.replace('claim: sub\n      prefix: "oidc:"', 'expression: claims.email')}
  claimValidationRules:
  - expression: claims.email_verified == true
    message: email must be verified`,
    ),
  );
  assert.equal(ok.jwt[0].claimValidationRules?.length, 1);
  assert.throws(
    () =>
      parseAuthenticationConfiguration(
        doc(`${good}\n  userValidationRules:\n  - expression: claims.sub == 'x'`),
      ),
    {
      message:
        /^jwt\[0\]\.userValidationRules\[0\]\.expression: Invalid value: .*undeclared reference to 'claims'/,
    },
  );
});

test('claim validation rules and extra keys', () => {
  invalid(
    doc(`${good}\n  claimValidationRules:\n  - claim: hd\n    message: nope`),
    'jwt[0].claimValidationRules[0].message: Invalid value: "nope": may not be specified when claim is set',
  );
  invalid(
    doc(`${good}\n  claimValidationRules:\n  - {}`),
    'jwt[0].claimValidationRules[0]: Required value: claim or expression is required',
  );
  invalid(
    doc(
      good.replace(
        '      prefix: "oidc:"',
        '      prefix: "oidc:"\n    extra:\n    - key: example.com/Foo\n      valueExpression: claims.sub',
      ),
    ),
    'jwt[0].claimMappings.extra[0].key: Invalid value: "example.com/Foo": must be lowercase',
  );
  invalid(
    doc(
      good.replace(
        '      prefix: "oidc:"',
        '      prefix: "oidc:"\n    extra:\n    - key: kubernetes.io/foo\n      valueExpression: claims.sub',
      ),
    ),
    'jwt[0].claimMappings.extra[0].key: Invalid value: "kubernetes.io/foo": k8s.io, kubernetes.io and their subdomains are reserved for Kubernetes use',
  );
});

test('anonymous: conditions need enabled', () => {
  invalid(
    doc(good, 'anonymous:\n  enabled: false\n  conditions:\n  - path: /livez'),
    'anonymous.conditions: Invalid value: [{"path":"/livez"}]: enabled should be set to true when conditions are defined',
  );
  const c = parseAuthenticationConfiguration(
    doc(good, 'anonymous:\n  enabled: true\n  conditions:\n  - path: /livez'),
  );
  assert.deepEqual(c.anonymous, { enabled: true, conditions: [{ path: '/livez' }] });
});

test('legacy flags: audiences = client id; prefixes; required claims sorted', () => {
  const j = legacyOidcToJwt({
    issuerURL: 'https://i',
    clientID: 'c',
    usernameClaim: 'sub',
    usernamePrefix: '',
    groupsClaim: 'groups',
    groupsPrefix: 'g:',
    requiredClaims: { b: '2', a: '1' },
  });
  assert.deepEqual(j.issuer.audiences, ['c']);
  assert.equal(j.claimMappings.username.prefix, 'https://i#');
  assert.deepEqual(j.claimMappings.groups, { claim: 'groups', prefix: 'g:' });
  assert.deepEqual(j.claimValidationRules, [
    { claim: 'a', requiredValue: '1' },
    { claim: 'b', requiredValue: '2' },
  ]);
  const e = legacyOidcToJwt({
    ...{ issuerURL: 'https://i', clientID: 'c', groupsClaim: '', groupsPrefix: '', requiredClaims: {} },
    usernameClaim: 'email',
    usernamePrefix: '',
  });
  assert.equal(e.claimMappings.username.prefix, '');
  assert.equal(e.claimMappings.groups, undefined);
});
