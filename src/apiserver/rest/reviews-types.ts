/** Token authentication as used by TokenReview (bearer tokens in the body, not in headers). */
import type { AuthResult } from '../../authn/interfaces.js';

export interface Authenticator2 {
  authenticateToken(token: string, audiences: string[]): Promise<AuthResult>;
}
