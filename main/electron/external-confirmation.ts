/**
 * The question main asks before the system browser opens a host that only a renderer-saved
 * value vouches for (a WordPress site URL) or a Salesforce login host no connection uses yet
 * (main/app/external-url-policy.ts says 'confirm'). Main's own dialog, so a compromised page
 * cannot answer it. Plain data, so it is tested without Electron.
 */
export interface ExternalConfirmation {
  readonly type: 'question';
  readonly title: string;
  readonly message: string;
  readonly detail: string;
  readonly buttons: readonly [string, string];
  /** Index of the button that opens the URL; the default and Escape are Cancel. */
  readonly openButton: 0;
  readonly defaultId: 1;
  readonly cancelId: 1;
  readonly noLink: true;
}

const MAX_SHOWN_URL = 300;

export function externalConfirmation(url: string): ExternalConfirmation {
  let host = url;
  try {
    host = new URL(url).host;
  } catch {
    // The policy refuses unparsable URLs before asking; show the text as given all the same.
  }
  const shown = url.length > MAX_SHOWN_URL ? `${url.slice(0, MAX_SHOWN_URL)}…` : url;
  return {
    type: 'question',
    title: 'Open in your browser?',
    message: `Open ${host} in your browser?`,
    detail: `ForceSites was asked to open this address:\n\n${shown}\n\nOpen it only if you recognise ${host}, for example as a WordPress site or Salesforce My Domain you added.`,
    buttons: ['Open in browser', 'Cancel'],
    openButton: 0,
    defaultId: 1,
    cancelId: 1,
    noLink: true,
  };
}
