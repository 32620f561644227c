/**
 * The flag table of `kubeauth serve`: kube-apiserver's names and defaults (except --bind-address,
 * 127.0.0.1 here). Flags of capabilities not built yet are known, and giving one refuses start-up
 * with the reason (`notYetSupported`): an ignored storage, audit or proxy flag would be a silent hole.
 */
import type { FlagSpec } from './flags.js';
import { authenticationFlags } from './serve-flags-authn.js';
import { signingFlags } from './serve-signing.js';
import { leaderElectionFlags } from './serve-flags-leader.js';
import { kubeletClientFlags } from './serve-kubelet.js';

export const serveFlags: FlagSpec[] = [
  {
    name: 'data-dir',
    type: 'string',
    default: '.kubeauth',
    help: 'Directory for the PKI, kubeconfigs and the embedded SQLite database (created on first start).',
  },
  {
    name: 'secure-port',
    type: 'int',
    default: 6443,
    help: 'The port on which to serve HTTPS with authentication and authorization. 0 picks a free port.',
  },
  {
    name: 'bind-address',
    type: 'string',
    default: '127.0.0.1',
    help: 'The IP address on which to listen for the --secure-port port (upstream default 0.0.0.0).',
  },
  {
    name: 'advertise-address',
    type: 'string',
    default: '127.0.0.1',
    help: 'The IP address on which to advertise the apiserver to members of the cluster.',
  },
  {
    name: 'tls-cert-file',
    type: 'string',
    default: '',
    help: 'File containing the default x509 Certificate for HTTPS (CA cert, if any, concatenated after server cert).',
  },
  {
    name: 'tls-private-key-file',
    type: 'string',
    default: '',
    help: 'File containing the default x509 private key matching --tls-cert-file.',
  },
  {
    name: 'tls-sni-cert-key',
    type: 'stringArray',
    unsplit: true,
    default: [],
    help: 'A pair of x509 certificate and private key file paths, optionally suffixed with a list of domain patterns: "foo.crt,foo.key:*.foo.com,foo.com". Repeatable.',
  },
  {
    name: 'cert-dir',
    type: 'string',
    default: '',
    help: 'The directory where the TLS certs are located; used when --tls-cert-file/--tls-private-key-file are not given and no PKI is wanted (default <data-dir>/pki).',
  },
  {
    name: 'client-ca-file',
    type: 'string',
    default: '',
    help: 'Any request presenting a client certificate signed by one of the authorities in this file is authenticated with the CommonName as user and Organizations as groups (default <data-dir>/pki/ca.crt).',
  },
  {
    name: 'anonymous-auth',
    type: 'bool',
    default: true,
    help: 'Enables anonymous requests to the secure port (system:anonymous, group system:unauthenticated).',
  },
  {
    name: 'authorization-mode',
    type: 'string',
    default: 'Node,RBAC',
    help: 'Ordered list of plug-ins to do authorization on secure port: AlwaysAllow,AlwaysDeny,Node,RBAC,Webhook.',
  },
  {
    name: 'authorization-config',
    type: 'string',
    default: '',
    help: 'File with an AuthorizationConfiguration (apiserver.config.k8s.io/v1) for the authorizer chain; mutually exclusive with --authorization-mode and the --authorization-webhook-* flags.',
  },
  {
    name: 'authorization-webhook-config-file',
    type: 'string',
    default: '',
    help: 'File with webhook configuration in kubeconfig format, used with --authorization-mode=Webhook.',
  },
  {
    name: 'authorization-webhook-version',
    type: 'string',
    default: 'v1beta1',
    help: 'The API version of authorization.k8s.io SubjectAccessReview to send to and expect from the webhook (v1 or v1beta1).',
  },
  {
    name: 'authorization-webhook-cache-authorized-ttl',
    type: 'duration',
    default: '5m0s',
    help: 'The duration to cache authorized responses from the webhook authorizer.',
  },
  {
    name: 'authorization-webhook-cache-unauthorized-ttl',
    type: 'duration',
    default: '30s',
    help: 'The duration to cache unauthorized responses from the webhook authorizer.',
  },
  {
    name: 'service-cluster-ip-range',
    type: 'string',
    default: '10.96.0.0/12',
    help: 'A CIDR notation IP range from which to assign service cluster IPs.',
  },
  {
    name: 'apiserver-cert-extra-sans',
    type: 'stringArray',
    default: [],
    help: 'Extra Subject Alternative Names for the generated API server serving certificate (kubeadm flag).',
  },
  {
    name: 'encryption-algorithm',
    type: 'string',
    default: 'RSA-2048',
    help: 'Key algorithm of the PKI created in a fresh --data-dir (kubeadm encryptionAlgorithm): RSA-2048, RSA-3072, RSA-4096, ECDSA-P256 or ECDSA-P384. Existing keys are kept.',
  },
  {
    name: 'service-account-key-file',
    type: 'stringArray',
    default: [],
    help: 'File containing PEM-encoded x509 RSA or ECDSA private or public keys, used to verify ServiceAccount tokens; repeatable (default <data-dir>/pki/sa.pub).',
  },
  {
    name: 'service-account-signing-key-file',
    type: 'string',
    default: '',
    help: 'Path to the file that contains the current private key of the service account token issuer (default <data-dir>/pki/sa.key).',
  },
  {
    name: 'service-account-issuer',
    type: 'stringArray',
    default: ['https://kubernetes.default.svc.cluster.local'],
    help: 'Identifier of the service account token issuer; repeatable: the first signs new tokens, every one is accepted.',
  },
  {
    name: 'service-account-jwks-uri',
    type: 'string',
    default: '',
    help: 'Overrides the URI for the JSON Web Key Set in the discovery doc served at /.well-known/openid-configuration (default https://<advertise-address>:<port>/openid/v1/jwks).',
  },
  {
    name: 'service-account-lookup',
    type: 'bool',
    default: true,
    help: 'If true, validate ServiceAccount tokens exist in etcd as part of authentication.',
  },
  {
    name: 'service-account-max-token-expiration',
    type: 'duration',
    default: '0s',
    help: 'The maximum validity duration of a token created by the service account token issuer; a longer TokenRequest is shortened to it (0 = no limit).',
  },
  {
    name: 'service-account-extend-token-expiration',
    type: 'bool',
    default: true,
    help: 'Turns on projected service account expiration extension during token generation (warnafter at the requested 1h7s, valid for a year).',
  },
  {
    name: 'api-audiences',
    type: 'stringArray',
    default: [],
    help: 'Identifiers of the API; defaults to the first --service-account-issuer.',
  },
  {
    name: 'encryption-provider-config',
    type: 'string',
    default: '',
    help: 'The file containing configuration for encryption providers to be used for storing secrets in etcd (apiserver.config.k8s.io/v1 EncryptionConfiguration: aesgcm, aescbc, identity).',
  },
  {
    name: 'encryption-provider-config-automatic-reload',
    type: 'bool',
    default: false,
    help: 'Determines if the file set by --encryption-provider-config should be automatically reloaded if the disk contents change.',
  },
  {
    name: 'storage-backend',
    type: 'string',
    default: 'sqlite',
    help: 'The storage backend: sqlite (embedded, default) or etcd3.',
  },
  {
    name: 'etcd-prefix',
    type: 'string',
    default: '/registry',
    help: 'The prefix to prepend to all resource paths in etcd.',
  },
  {
    name: 'etcd-compaction-interval',
    type: 'duration',
    default: '5m0s',
    help: 'The interval of compaction requests. If 0, the compaction request from apiserver is disabled.',
  },
  {
    name: 'etcd-servers',
    type: 'stringArray',
    default: [],
    help: 'List of etcd servers to connect with (scheme://ip:port), comma separated; implies --storage-backend=etcd3.',
  },
  {
    name: 'etcd-cafile',
    type: 'string',
    default: '',
    help: 'SSL Certificate Authority file used to secure etcd communication (default with https servers: the PKI etcd/ca.crt).',
  },
  {
    name: 'etcd-certfile',
    type: 'string',
    default: '',
    help: 'SSL certification file used to secure etcd communication (default with https servers: the PKI apiserver-etcd-client.crt).',
  },
  {
    name: 'etcd-keyfile',
    type: 'string',
    default: '',
    help: 'SSL key file used to secure etcd communication (default with https servers: the PKI apiserver-etcd-client.key).',
  },
  ...authenticationFlags,
  {
    name: 'proxy-client-cert-file',
    type: 'string',
    default: '',
    help: 'Client certificate used to prove the identity of the aggregator or kube-apiserver when it must call out during a request.',
    notYetSupported:
      'kubeauth does not proxy to extension API servers yet (APIServices with a service are reported unavailable)',
  },
  {
    name: 'proxy-client-key-file',
    type: 'string',
    default: '',
    help: 'Private key for the client certificate used by the aggregator.',
    notYetSupported:
      'kubeauth does not proxy to extension API servers yet (APIServices with a service are reported unavailable)',
  },
  ...kubeletClientFlags,
  {
    name: 'enable-admission-plugins',
    type: 'stringArray',
    default: [],
    help: 'Admission plugins to enable in addition to the defaults (NamespaceLifecycle, ServiceAccount are built in).',
    notYetSupported:
      'the admission plugins are built in and always on (NamespaceLifecycle, ServiceAccount, NodeRestriction, CertificateApproval/Signing/SubjectRestriction); the list is not configurable yet',
  },
  {
    name: 'audit-log-path',
    type: 'string',
    default: '',
    help: 'If set, all requests coming to the apiserver will be logged to this file.',
    notYetSupported: 'audit logging is not implemented yet (issue #11): no audit log would be written',
  },
  {
    name: 'request-timeout',
    type: 'duration',
    default: '1m0s',
    help: 'An optional field indicating the duration a handler must keep a request open before timing it out. This is the default request timeout for requests but may be overridden by flags such as --min-request-timeout for specific types of requests.',
  },
  {
    name: 'node-monitor-grace-period',
    type: 'duration',
    default: '50s',
    help: "kube-controller-manager: Amount of time which we allow running Node to be unresponsive before marking it unhealthy. Must be N times more than kubelet's nodeStatusUpdateFrequency, where N means number of retries allowed for kubelet to post node status (upstream default 50s since 1.32).",
  },
  {
    name: 'node-monitor-period',
    type: 'duration',
    default: '5s',
    help: 'kube-controller-manager: The period for syncing NodeStatus in cloud-node-lifecycle-controller (the node lifecycle controller).',
  },
  ...signingFlags,
  ...leaderElectionFlags,
  {
    name: 'csr-signing-workers',
    type: 'int',
    default: -1,
    help: 'kubeauth: worker threads that parse and sign CSRs off the event loop (-1: the number of cores minus one, at least 1 and at most 4; 0: sign on the event loop; at most 64).',
  },
  {
    name: 'v',
    type: 'int',
    default: 0,
    help: 'Log level verbosity; at 1 and above every refused request is logged with why (the RBAC nearest misses).',
  },
];
