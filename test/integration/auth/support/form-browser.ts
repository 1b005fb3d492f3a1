/**
 * A tiny "browser" for sign-in tests: follows redirects by hand, keeps cookies, and submits
 * the HTML forms it meets (login, consent) the way a person would, until the authorization
 * server redirects to the app's loopback callback. Then it loads that URL too, exactly like
 * a browser, so the real loopback listener receives it.
 */

export interface FormBrowserOptions {
  /** Values for visible inputs by name (e.g. username/password, login/password). */
  readonly fill: Readonly<Record<string, string>>;
  /** Submit buttons to press by name when a form has them (e.g. `approve` on consent). */
  readonly press?: readonly string[];
  /** Stop when a navigation reaches a URL starting with this (the redirect_uri). */
  readonly callbackPrefix: string;
  readonly maxSteps?: number;
}

export interface FormBrowserResult {
  readonly callbackUrl: URL;
  readonly callbackStatus: number;
  readonly callbackBody: string;
  readonly pagesSeen: readonly string[];
}

export async function signInWithForms(startUrl: string, options: FormBrowserOptions): Promise<FormBrowserResult> {
  const cookies = new Map<string, string>();
  const pagesSeen: string[] = [];
  let next: { url: string; init: RequestInit } = { url: startUrl, init: { method: 'GET' } };
  for (let step = 0; step < (options.maxSteps ?? 20); step++) {
    if (next.url.startsWith(options.callbackPrefix)) {
      const response = await fetch(next.url, { redirect: 'manual' });
      return { callbackUrl: new URL(next.url), callbackStatus: response.status, callbackBody: await response.text(), pagesSeen };
    }
    const headers = new Headers(next.init.headers);
    if (cookies.size > 0) headers.set('cookie', [...cookies].map(([name, value]) => `${name}=${value}`).join('; '));
    const response = await fetch(next.url, { ...next.init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair?.indexOf('=') ?? -1;
      if (pair !== undefined && eq > 0) cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location !== null) {
      await response.body?.cancel();
      next = { url: new URL(location, next.url).toString(), init: { method: 'GET' } };
      continue;
    }
    const html = await response.text();
    if (response.status !== 200) throw new Error(`HTTP ${response.status} at ${next.url}: ${html.slice(0, 300)}`);
    pagesSeen.push(html);
    next = submitFirstForm(html, next.url, options);
  }
  throw new Error('the sign-in did not reach the callback');
}

function submitFirstForm(html: string, pageUrl: string, options: FormBrowserOptions): { url: string; init: RequestInit } {
  const form = /<form\b([^>]*)>([\s\S]*?)<\/form>/i.exec(html);
  if (form === null) throw new Error(`no form on page ${pageUrl}: ${html.slice(0, 300)}`);
  const attrs = attributes(form[1] ?? '');
  const action = new URL(decodeEntities(attrs['action'] ?? pageUrl), pageUrl).toString();
  const body = new URLSearchParams();
  for (const input of (form[2] ?? '').matchAll(/<input\b([^>]*)>/gi)) {
    const field = attributes(input[1] ?? '');
    const name = field['name'];
    if (name === undefined) continue;
    const type = (field['type'] ?? 'text').toLowerCase();
    if (type === 'submit') continue;
    if (name in options.fill) body.set(name, options.fill[name] ?? '');
    else if (type === 'hidden') body.set(name, decodeEntities(field['value'] ?? ''));
  }
  for (const button of (form[2] ?? '').matchAll(/<(?:button|input)\b([^>]*)>/gi)) {
    const field = attributes(button[1] ?? '');
    const name = field['name'];
    if (name !== undefined && options.press?.includes(name)) body.set(name, decodeEntities(field['value'] ?? name));
  }
  return {
    url: action,
    init: { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() },
  };
}

function attributes(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const match of text.matchAll(/([a-zA-Z_:-]+)\s*=\s*("([^"]*)"|'([^']*)')/g)) {
    result[(match[1] ?? '').toLowerCase()] = match[3] ?? match[4] ?? '';
  }
  return result;
}

function decodeEntities(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_m, code: string) => String.fromCharCode(Number(code)))
    .replace(/&#x([0-9a-f]+);/gi, (_m, code: string) => String.fromCharCode(parseInt(code, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
