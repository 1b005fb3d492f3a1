/**
 * The slice of oidc-provider v9 (which ships no types) that the standards-server test uses.
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  interface KoaContext {
    readonly method: string;
    readonly path: string;
  }

  interface Account {
    readonly accountId: string;
    claims(): Record<string, unknown> | Promise<Record<string, unknown>>;
  }

  interface Configuration {
    readonly clients?: readonly Record<string, unknown>[];
    readonly pkce?: { readonly required?: () => boolean };
    readonly rotateRefreshToken?: boolean;
    readonly features?: Record<string, { readonly enabled: boolean }>;
    readonly cookies?: { readonly keys: readonly string[] };
    readonly findAccount?: (ctx: unknown, sub: string) => Account | Promise<Account>;
  }

  // Describes the package as it is: oidc-provider's only export is a default one.
  // eslint-disable-next-line no-restricted-syntax
  export default class Provider {
    constructor(issuer: string, configuration?: Configuration);
    use(middleware: (ctx: KoaContext, next: () => Promise<void>) => Promise<void>): void;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
  }
}
