/**
 * @module authz/node/identity
 *
 * Node identities, after pkg/auth/nodeidentifier/default.go: a user is a node when its name has
 * the prefix `system:node:` **and** it is in group `system:nodes`; the node name is the rest of
 * the user name (possibly empty: an unidentifiable node).
 */
import type { UserInfo } from '../../authn/interfaces.js';

export const NODE_USER_PREFIX = 'system:node:';
export const NODES_GROUP = 'system:nodes';

/** Returns `{ nodeName, isNode }`; `nodeName` is '' when `isNode` is false or the name is empty. */
export function nodeIdentity(user: UserInfo | undefined): { nodeName: string; isNode: boolean } {
  if (!user || !user.name.startsWith(NODE_USER_PREFIX)) return { nodeName: '', isNode: false };
  if (!user.groups.includes(NODES_GROUP)) return { nodeName: '', isNode: false };
  return { nodeName: user.name.slice(NODE_USER_PREFIX.length), isNode: true };
}
