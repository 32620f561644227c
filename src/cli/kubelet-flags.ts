/**
 * @module cli/kubelet-flags
 *
 * The flag table of `kubeauth kubelet`: upstream kubelet names and (legacy, without --config)
 * defaults for its HTTPS API. Flags of capabilities not built yet (the read-only and healthz
 * ports) are known and refuse start-up.
 * `--node-name` and `--stale-if-error-window` are kubeauth's own.
 */
import type { FlagSpec } from './flags.js';

export const kubeletFlags: FlagSpec[] = [
  {
    name: 'config',
    type: 'string',
    default: '',
    help: 'The Kubelet will load its initial configuration from this file (kubelet.config.k8s.io/v1beta1 KubeletConfiguration). Command-line flags override configuration from this file.',
  },
  {
    name: 'kubeconfig',
    type: 'string',
    default: '',
    help: 'Path to a kubeconfig file, specifying how to connect to the API server (TokenReview and SubjectAccessReview).',
  },
  {
    name: 'hostname-override',
    type: 'string',
    default: '',
    help: "If non-empty, will use this string as identification instead of the actual hostname (the node's name in authorization).",
  },
  {
    name: 'node-name',
    type: 'string',
    default: '',
    help: "kubeauth: the same as --hostname-override (kubeadm's name for it); giving both with different values is an error.",
  },
  {
    name: 'node-ip',
    type: 'string',
    default: '',
    help: 'IP address (or comma-separated dual-stack IP addresses) of the node; added to the self-signed serving certificate.',
  },
  {
    name: 'address',
    type: 'string',
    default: '0.0.0.0',
    help: 'The IP address for the Kubelet to serve on (set to 0.0.0.0 or :: for listening on all interfaces).',
  },
  { name: 'port', type: 'int', default: 10250, help: 'The port for the Kubelet to serve on.' },
  {
    name: 'tls-cert-file',
    type: 'string',
    default: '',
    help: 'File containing x509 Certificate used for serving HTTPS (with intermediate certs, if any, concatenated after server cert). If --tls-cert-file and --tls-private-key-file are not provided, a self-signed certificate and key are generated for the public address and saved to the directory passed to --cert-dir.',
  },
  {
    name: 'tls-private-key-file',
    type: 'string',
    default: '',
    help: 'File containing x509 private key matching --tls-cert-file.',
  },
  {
    name: 'client-ca-file',
    type: 'string',
    default: '',
    help: 'If set, any request presenting a client certificate signed by one of the authorities in the client-ca-file is authenticated with an identity corresponding to the CommonName of the client certificate.',
  },
  {
    name: 'anonymous-auth',
    type: 'bool',
    default: true,
    help: 'Enables anonymous requests to the Kubelet server. Requests that are not rejected by another authentication method are treated as anonymous requests. Anonymous requests have a username of system:anonymous, and a group name of system:unauthenticated.',
  },
  {
    name: 'authentication-token-webhook',
    type: 'bool',
    default: false,
    help: 'Use the TokenReview API to determine authentication for bearer tokens.',
  },
  {
    name: 'authentication-token-webhook-cache-ttl',
    type: 'duration',
    default: '2m0s',
    help: 'The duration to cache responses from the webhook token authenticator.',
  },
  {
    name: 'authorization-mode',
    type: 'string',
    default: 'AlwaysAllow',
    help: 'Authorization mode for Kubelet server. Valid options are AlwaysAllow or Webhook. Webhook mode uses the SubjectAccessReview API to determine authorization.',
  },
  {
    name: 'authorization-webhook-cache-authorized-ttl',
    type: 'duration',
    default: '5m0s',
    help: "The duration to cache 'authorized' responses from the webhook authorizer.",
  },
  {
    name: 'authorization-webhook-cache-unauthorized-ttl',
    type: 'duration',
    default: '30s',
    help: "The duration to cache 'unauthorized' responses from the webhook authorizer.",
  },
  {
    name: 'enable-debugging-handlers',
    type: 'bool',
    default: true,
    help: 'Enables server endpoints for log collection and local running of containers and commands.',
  },
  {
    name: 'stale-if-error-window',
    type: 'duration',
    default: '0s',
    help: 'kubeauth: while the API server cannot be reached, a cached TokenReview or SubjectAccessReview answer past its TTL keeps deciding for this long (logged); 0 = never, as upstream.',
  },
  {
    name: 'bootstrap-kubeconfig',
    type: 'string',
    default: '',
    help: 'Path to a kubeconfig file that will be used to get client certificate for kubelet. If the file specified by --kubeconfig does not exist, the bootstrap kubeconfig is used to request a client certificate from the API server. On success, a kubeconfig file referencing the generated client certificate and key is written to the path specified by --kubeconfig. The client certificate and key file will be stored in the directory pointed by --cert-dir.',
  },
  {
    name: 'cert-dir',
    type: 'string',
    default: '/var/lib/kubelet/pki',
    help: 'The directory where the TLS certs are located. If --tls-cert-file and --tls-private-key-file are provided, this flag will be ignored.',
  },
  {
    name: 'rotate-certificates',
    type: 'bool',
    default: false,
    help: 'Auto rotate the kubelet client certificates by requesting new certificates from the kube-apiserver when the certificate expiration approaches.',
  },
  {
    name: 'rotate-server-certificates',
    type: 'bool',
    default: false,
    help: 'Auto-request and rotate the kubelet serving certificates by requesting new certificates from the kube-apiserver when the certificate expiration approaches. Requires the kubelet-serving CSR to be approved (not done automatically).',
  },
  {
    name: 'register-node',
    type: 'bool',
    default: true,
    help: 'Register the node with the apiserver.',
  },
  {
    name: 'root-dir',
    type: 'string',
    default: '/var/lib/kubelet',
    help: "Directory path for managing kubelet files (the simulated pods' logs and projected volumes under pods/<uid>/).",
  },
  {
    name: 'pod-cidr',
    type: 'string',
    default: '',
    help: 'The IPv4 CIDR to use for the simulated pod IP addresses (default: kubeauth picks 10.244.<n>.0/24 from the node name).',
  },
  {
    name: 'node-labels',
    type: 'string',
    default: '',
    help: "<key=value pairs> Labels to add when registering the node in the cluster. Labels must be key=value pairs separated by ','. Labels in the 'kubernetes.io' namespace must begin with an allowed prefix (kubelet.kubernetes.io, node.kubernetes.io) or be in the specifically allowed set (beta.kubernetes.io/arch, beta.kubernetes.io/instance-type, beta.kubernetes.io/os, failure-domain.beta.kubernetes.io/region, failure-domain.beta.kubernetes.io/zone, kubernetes.io/arch, kubernetes.io/hostname, kubernetes.io/os, node.kubernetes.io/instance-type, topology.kubernetes.io/region, topology.kubernetes.io/zone)",
  },
  {
    name: 'node-status-update-frequency',
    type: 'duration',
    default: '10s',
    help: 'Specifies how often kubelet posts node status to master (with the Lease, a status that did not change is posted every 5m).',
  },
  {
    name: 'node-lease-duration-seconds',
    type: 'int',
    default: 40,
    help: 'kubeauth: KubeletConfiguration nodeLeaseDurationSeconds, the duration the kubelet sets on its Lease in kube-node-lease; it is renewed every quarter of it (upstream has no flag for it).',
  },
  {
    name: 'read-only-port',
    type: 'int',
    default: 0,
    help: 'The read-only port for the Kubelet to serve on with no authentication/authorization.',
    notYetSupported: 'an unauthenticated port is not served (upstream legacy default 10255)',
  },
  {
    name: 'healthz-port',
    type: 'int',
    default: 0,
    help: 'The port of the localhost healthz endpoint.',
    notYetSupported:
      'the separate plain-HTTP healthz port is not served (upstream default 10248); /healthz is on the HTTPS port',
  },
];
