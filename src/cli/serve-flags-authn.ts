/**
 * The authentication flags of `kubeauth serve` (kube-apiserver's names and defaults): static
 * tokens and passwords, bootstrap tokens, OIDC and the structured authentication config, the token
 * webhook, and the authenticating proxy. Part of the table in serve-flags.ts.
 */
import type { FlagSpec } from './flags.js';

export const authenticationFlags: FlagSpec[] = [
  {
    name: 'token-auth-file',
    type: 'string',
    default: '',
    help: 'If set, the file that will be used to secure the secure port of the API server via token authentication (CSV: token,user,uid,"group1,group2").',
  },
  {
    name: 'basic-auth-file',
    type: 'string',
    default: '',
    help: 'If set, the file that will be used to admit requests to the secure port of the API server via http basic authentication (CSV: password,user,uid,"group1,group2"). Removed from Kubernetes in 1.19 and not recommended; kept for the seed walkthrough.',
  },
  {
    name: 'enable-bootstrap-token-auth',
    type: 'bool',
    default: false,
    help: "Enable to allow secrets of type 'bootstrap.kubernetes.io/token' in the 'kube-system' namespace to be used for TLS bootstrapping authentication.",
  },
  {
    name: 'oidc-issuer-url',
    type: 'string',
    default: '',
    help: 'The URL of the OpenID issuer, only HTTPS scheme will be accepted. If set, it will be used to verify the OIDC JSON Web Token (JWT).',
  },
  {
    name: 'oidc-client-id',
    type: 'string',
    default: '',
    help: 'The client ID for the OpenID Connect client, must be set if oidc-issuer-url is set.',
  },
  {
    name: 'oidc-ca-file',
    type: 'string',
    default: '',
    help: "If set, the OpenID server's certificate will be verified by one of the authorities in the oidc-ca-file, otherwise the host's root CA set will be used.",
  },
  {
    name: 'oidc-username-claim',
    type: 'string',
    default: 'sub',
    help: "The OpenID claim to use as the user name. Note that claims other than the default ('sub') is not guaranteed to be unique and immutable.",
  },
  {
    name: 'oidc-username-prefix',
    type: 'string',
    default: '',
    help: "If provided, all usernames will be prefixed with this value. If not provided, username claims other than 'email' are prefixed by the issuer URL to avoid clashes. To skip any prefixing, provide the value '-'.",
  },
  {
    name: 'oidc-groups-claim',
    type: 'string',
    default: '',
    help: 'If provided, the name of a custom OpenID Connect claim for specifying user groups. The claim value is expected to be a string or array of strings.',
  },
  {
    name: 'oidc-groups-prefix',
    type: 'string',
    default: '',
    help: 'If provided, all groups will be prefixed with this value to prevent conflicts with other authentication strategies.',
  },
  {
    name: 'oidc-required-claim',
    type: 'stringArray',
    default: [],
    help: 'A key=value pair that describes a required claim in the ID Token. If set, the claim is verified to be present in the ID Token with a matching value. Repeat this flag to specify multiple claims.',
  },
  {
    name: 'oidc-signing-algs',
    type: 'stringArray',
    default: ['RS256'],
    help: "Comma-separated list of allowed JOSE asymmetric signing algorithms. JWTs with a supported 'alg' header values are: RS256, RS384, RS512, ES256, ES384, ES512, PS256, PS384, PS512.",
  },
  {
    name: 'authentication-config',
    type: 'string',
    default: '',
    help: 'File with Authentication Configuration (apiserver.config.k8s.io v1beta1/v1) to configure the JWT Token authenticator or the anonymous authenticator; reloaded when it changes. Mutually exclusive with the --oidc-* flags.',
  },
  {
    name: 'authentication-token-webhook-config-file',
    type: 'string',
    default: '',
    help: 'File with webhook configuration for token authentication in kubeconfig format. The API server will query the remote service to determine authentication for bearer tokens.',
  },
  {
    name: 'authentication-token-webhook-version',
    type: 'string',
    default: 'v1beta1',
    help: 'The API version of the authentication.k8s.io TokenReview to send to and expect from the webhook (v1 or v1beta1).',
  },
  {
    name: 'authentication-token-webhook-cache-ttl',
    type: 'duration',
    default: '2m0s',
    help: 'The duration to cache responses from the webhook token authenticator.',
  },
  {
    name: 'requestheader-client-ca-file',
    type: 'string',
    default: '',
    help: 'Root certificate bundle to verify client certificates on incoming requests before trusting usernames in headers.',
  },
  {
    name: 'requestheader-allowed-names',
    type: 'stringArray',
    default: [],
    help: 'List of client certificate common names allowed to provide usernames in headers.',
  },
  {
    name: 'requestheader-username-headers',
    type: 'stringArray',
    default: [],
    help: 'List of request headers to inspect for usernames. X-Remote-User is common.',
  },
  {
    name: 'requestheader-uid-headers',
    type: 'stringArray',
    default: [],
    help: 'List of request headers to inspect for UIDs. X-Remote-Uid is suggested.',
  },
  {
    name: 'requestheader-group-headers',
    type: 'stringArray',
    default: [],
    help: 'List of request headers to inspect for groups. X-Remote-Group is suggested.',
  },
  {
    name: 'requestheader-extra-headers-prefix',
    type: 'stringArray',
    default: [],
    help: 'List of request header prefixes to inspect. X-Remote-Extra- is suggested.',
  },
];
