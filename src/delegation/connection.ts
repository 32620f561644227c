/**
 * @module delegation/connection
 *
 * The two API calls of a delegating server, resolved from its `--kubeconfig` (current context:
 * server, CA, client certificate or token): POST /apis/authentication.k8s.io/v1/tokenreviews and
 * POST /apis/authorization.k8s.io/v1/subjectaccessreviews. They go through webhook/client.ts (the
 * HTTP side shared with kube-apiserver's webhooks: timeouts, upstream's retry backoff, typed
 * errors that tell "unreachable" from "refused"), not client/kube-client.ts, which has neither.
 */
import { connectionFromKubeconfigFile, type WebhookConnection } from '../webhook/client.js';

export const TOKEN_REVIEW_PATH = '/apis/authentication.k8s.io/v1/tokenreviews';
export const SUBJECT_ACCESS_REVIEW_PATH = '/apis/authorization.k8s.io/v1/subjectaccessreviews';

export interface ApiServerConnections {
  server: string;
  tokenReview: WebhookConnection;
  subjectAccessReview: WebhookConnection;
}

export function apiServerConnections(kubeconfigFile: string): ApiServerConnections {
  const base = connectionFromKubeconfigFile(kubeconfigFile);
  const root = base.server.replace(/\/+$/, '');
  return {
    server: base.server,
    tokenReview: { ...base, server: root + TOKEN_REVIEW_PATH },
    subjectAccessReview: { ...base, server: root + SUBJECT_ACCESS_REVIEW_PATH },
  };
}
