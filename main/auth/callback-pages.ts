/**
 * The small HTML pages the loopback server shows in the admin's browser.
 *
 * They load nothing from anywhere (the callback URL carries the authorization code, so no
 * referrer may leave this page) and escape every value that came from the query string.
 */

export interface CallbackPage {
  readonly status: number;
  readonly title: string;
  readonly message: string;
  readonly detail?: string;
}

export const CALLBACK_PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
  connection: 'close',
};

export function renderCallbackPage(page: CallbackPage): string {
  const detail = page.detail === undefined ? '' : `<p class="detail">${escapeHtml(page.detail)}</p>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)} · ForceSites</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;background:#f4f6f9;color:#181818}
main{background:#fff;border-radius:8px;box-shadow:0 2px 8px rgba(0,0,0,.12);padding:2rem 2.5rem;max-width:34rem}
h1{font-size:1.3rem;margin:0 0 .75rem}
.detail{background:#f3f3f3;border-radius:4px;padding:.6rem .8rem;font-family:ui-monospace,monospace;white-space:pre-wrap;word-break:break-word}
</style>
</head>
<body><main>
<h1>${escapeHtml(page.title)}</h1>
<p>${escapeHtml(page.message)}</p>
${detail}
</main></body>
</html>
`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}
