/**
 * The anonymous authenticator (k8s.io/apiserver/pkg/authentication/request/anonymous): every
 * request it sees becomes system:anonymous in group system:unauthenticated. Used behind
 * unionFailOnError so that only credential-less requests reach it.
 */
import {
  GROUP_UNAUTHENTICATED,
  SYSTEM_ANONYMOUS,
  type AuthResult,
  type RequestAuthenticator,
} from './interfaces.js';

const anonymousResult: AuthResult = {
  ok: true,
  response: {
    user: Object.freeze({ name: SYSTEM_ANONYMOUS, uid: '', groups: [GROUP_UNAUTHENTICATED], extra: {} }),
  },
};

export const anonymousAuthenticator: RequestAuthenticator = { authenticate: () => anonymousResult };
