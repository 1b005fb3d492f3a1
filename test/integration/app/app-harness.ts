/**
 * The app composed as the editions compose it (createApp), wired to the Salesforce emulator,
 * and driven only through the IPC contract. Its "system browser" fills Salesforce's login and
 * consent forms like a person, as whichever user `harness.user` names.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { InvokeChannel, RequestOf, ResponseOf, SiteProfileInput } from '../../../common/contract';
import type { SignInFinished } from '../../../common/models';
import { createApp, type ForceSitesApp } from '../../../main/app/create-app';
import { dispatchInvoke } from '../../../main/app/dispatch';
import { CapturingLogger } from '../../fakes/capturing-logger';
import { InMemorySecretStore } from '../../fakes/in-memory-secret-store';
import { FORCESITES_REDIRECT_URIS, type RunningEmulator } from '../../salesforce-emulator/index';
import { signInWithForms } from '../auth/support/form-browser';
import { freePort } from '../auth/support/free-port';

export interface AppHarness {
  readonly app: ForceSitesApp;
  readonly dataDir: string;
  readonly secrets: InMemorySecretStore;
  readonly logger: CapturingLogger;
  /** Every IPC answer and event, serialised as it would cross the boundary. */
  readonly wire: string[];
  readonly user: { username: string; password: string };
  /** Calls a channel through the contract; throws when the answer is an error. */
  call<C extends InvokeChannel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>>;
  /** Calls a channel and returns the raw Result. */
  send<C extends InvokeChannel>(channel: C, request: RequestOf<C>): Promise<Awaited<ReturnType<typeof dispatchInvoke>>>;
  /** Signs in (or reauthorizes) through auth:start and waits for auth:finished. */
  signIn(request?: Partial<RequestOf<'auth:start'>>): Promise<SignInFinished>;
}

export async function startAppHarness(emu: RunningEmulator, extra: Partial<Parameters<typeof createApp>[0]> = {}): Promise<AppHarness> {
  const callbackPort = await freePort();
  emu.handle.configureApp(undefined, 'ForceSites', { redirectUris: [...FORCESITES_REDIRECT_URIS, `http://localhost:${callbackPort}/OauthRedirect`] });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'forcesites-app-'));
  const secrets = new InMemorySecretStore();
  const logger = new CapturingLogger();
  const user = { username: emu.users[0]!.username, password: emu.users[0]!.password };
  const app = await createApp({
    edition: 'browser',
    dataDir,
    appVersion: '0.0.0-test',
    allowLoopbackHttp: true,
    secrets,
    logger,
    scheduleHealthChecks: false,
    openExternal: async (url) => {
      void signInWithForms(url, { fill: { ...user }, press: ['approve'], callbackPrefix: `http://localhost:${callbackPort}/OauthRedirect` }).catch(() => undefined);
      return true;
    },
    ...extra,
  });
  const wire: string[] = [];
  app.events.subscribe((channel, payload) => wire.push(JSON.stringify({ channel, payload })));

  const send: AppHarness['send'] = async (channel, request) => {
    const result = await dispatchInvoke(app.handlers, channel, request, { edition: 'browser' });
    wire.push(JSON.stringify(result));
    return result;
  };
  const call: AppHarness['call'] = async (channel, request) => {
    const result = await send(channel, request);
    if (!result.ok) throw new Error(`${channel} failed: ${result.error.code} ${result.error.message}`);
    return result.value as never;
  };
  await call('settings:update', { callbackPorts: [callbackPort] });

  const signIn: AppHarness['signIn'] = async (request = {}) => {
    const finished = new Promise<SignInFinished>((resolve) => {
      const stop = app.events.subscribe((channel, payload) => {
        if (channel !== 'auth:finished') return;
        stop();
        resolve(payload as SignInFinished);
      });
    });
    await call('auth:start', { loginHostKind: 'custom', loginHost: emu.loginUrl, clientId: emu.clientId, chooseAnotherUser: true, ...request });
    return finished;
  };

  return { app, dataDir, secrets, logger, wire, user, call, send, signIn };
}

/** How a test reaches a WordPress: the in-process users API or the real test WordPress. */
export interface WordpressLogin {
  readonly url: string;
  readonly username: string;
  readonly password: string;
}

type NameField = 'first_name' | 'last_name';
const NAME_FIELDS: Readonly<Record<NameField, string>> = { first_name: 'FirstName', last_name: 'LastName' };

/**
 * The site most integration tests save: "Members" on Contact, no tags, matched by e-mail (both
 * ways) with the name fields in `direction`. `overrides` changes anything else.
 */
export function membersSite(
  wordpress: WordpressLogin,
  connectionId: string,
  { names = ['first_name', 'last_name'], direction = 'both', ...overrides }: { readonly names?: readonly NameField[]; readonly direction?: 'push' | 'pull' | 'both' } & Partial<SiteProfileInput> = {},
): SiteProfileInput {
  return {
    name: 'Members',
    wordpressUrl: wordpress.url,
    wordpressUsername: wordpress.username,
    wordpressPassword: wordpress.password,
    connectionId,
    objectType: 'Contact',
    tagMode: 'none',
    tagField: null,
    fieldMapping: [{ wordpressField: 'email', salesforceField: 'Email', direction: 'both' }, ...names.map((name) => ({ wordpressField: name, salesforceField: NAME_FIELDS[name], direction }))],
    ...overrides,
  };
}
