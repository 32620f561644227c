/** The part of oidc-provider (untyped JavaScript) that test/e2e/oidc-issuer.ts uses. */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  interface IdToken {
    scope: string;
    set(key: string, value: unknown): void;
    issue(o: { use: 'idtoken' }): Promise<string>;
  }
  interface GrantContext {
    body: unknown;
    oidc: {
      params?: Record<string, unknown>;
      provider: { IdToken: new (claims: Record<string, unknown>, o: { ctx: GrantContext }) => IdToken };
    };
  }
  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    registerGrantType(name: string, handler: (ctx: GrantContext) => Promise<void>, params?: string[]): void;
    on(event: 'server_error', listener: (ctx: unknown, err: Error) => void): this;
    callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  }
}
