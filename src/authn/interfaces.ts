/**
 * Authentication contracts, after k8s.io/apiserver/pkg/authentication/authenticator/interfaces.go.
 * An authenticator answers {ok:false} with no error for "not mine, try the next one", {ok:false,
 * error} for "mine, but invalid" (the request then gets 401, never anonymous), and {ok:true} with
 * the user on success.
 */

export interface UserInfo {
  name: string;
  uid: string;
  groups: string[];
  extra: Record<string, string[]>;
}

export interface AuthResponse {
  user: UserInfo;
  audiences?: string[];
}

export type AuthResult = { ok: true; response: AuthResponse } | { ok: false; error?: Error };

/** What an authenticator may look at: headers, the TLS peer chain, the path. */
export interface AuthRequest {
  /** Header values, each possibly repeated (headersDistinct). */
  headers: Record<string, string[] | undefined>;
  path: string;
  /** The peer certificate chain (leaf first) as DER, when the client presented one. */
  peerCertificates?: () => PeerCertificates | undefined;
  /** The connection (HTTP/2 session or socket) the request came on. */
  connection?: object;
}

export interface PeerCertificates {
  /** Stable per connection: used to cache the verification result per connection. */
  connection: object;
  /** Leaf first. */
  chain: Buffer[];
}

export interface RequestAuthenticator {
  authenticate(req: AuthRequest): AuthResult | Promise<AuthResult>;
}

/** A bearer-token authenticator (token file, bootstrap tokens, service-account JWTs, OIDC, webhook). */
export interface TokenAuthenticator {
  /**
   * `audiences`: the audiences the token must be valid for (TokenReview spec.audiences); empty = the
   * API's. `connection`: the connection the token came on, when there is one (the token cache lets
   * it remember its last answer).
   */
  authenticateToken(
    token: string,
    audiences: string[],
    connection?: object,
  ): AuthResult | Promise<AuthResult>;
}

export const SYSTEM_ANONYMOUS = 'system:anonymous';
export const GROUP_UNAUTHENTICATED = 'system:unauthenticated';
export const GROUP_AUTHENTICATED = 'system:authenticated';
export const GROUP_MASTERS = 'system:masters';
