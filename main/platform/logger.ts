/**
 * The logging port used by main-process services, and the console logger both editions use.
 *
 * Services never log secrets on purpose. Values that identify a secret without revealing it
 * (an authorization code in a diagnostic) go through `lastChars`, which keeps at most the last
 * four characters, as Salesforce CLI does. Because a library error or a nested object can
 * still carry one by accident, `createConsoleLogger` redacts every entry as a second line of
 * defence: recursively by key (fields named like a token, password, secret, cookie…) and by
 * value pattern in every string, including the message and Error messages (bearer tokens,
 * `access_token=` and `refresh_token=` anywhere, `code=` in URLs, Salesforce session ids,
 * passwords in URLs, JSON bodies with token fields).
 *
 * Hand-made rather than pino's `redact`: pino redacts listed paths only (no "any depth"
 * wildcard), so the value patterns, Error shapes and cycle handling would be ours anyway.
 */
export interface Logger {
  debug(message: string, fields?: Readonly<Record<string, unknown>>): void;
  info(message: string, fields?: Readonly<Record<string, unknown>>): void;
  warn(message: string, fields?: Readonly<Record<string, unknown>>): void;
  error(message: string, fields?: Readonly<Record<string, unknown>>): void;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** `…abcd` for a secret-ish value; never more than four characters of it. */
export function lastChars(value: string, count = 4): string {
  const keep = Math.min(4, Math.max(0, count));
  // Very short values would be revealed almost entirely, so show nothing of them.
  if (value.length <= keep * 2) return '…';
  return `…${value.slice(-keep)}`;
}

const REDACTED = '[redacted]';
const MAX_DEPTH = 8;
const MAX_STRING = 2000;
const MAX_ITEMS = 50;
const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/** Field names whose value is a secret whatever it looks like. */
const SECRET_KEY = /token|passw(?:or)?d|secret|authori[sz]ation|cookie|verifier|api[-_]?key|session[-_]?id|^sid$|assertion|credential|private[-_]?key|signature/i;
/** Field names that hold either an error code (keep) or an OAuth authorization code (hide). */
const CODE_KEY = /^(?:auth_?)?code$/i;

/**
 * Whether a `code` value is an error code (`AUTH_STATE_MISMATCH`, `ECONNREFUSED`,
 * `invalid_grant`, 500) or already shortened by lastChars, rather than an authorization code
 * (a long mixed-case random string).
 */
function isHarmlessCode(value: unknown): boolean {
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return true;
  if (typeof value !== 'string') return false;
  if (value.startsWith('…') && value.length <= 5) return true;
  if (/^[A-Z][A-Z0-9_.:-]{0,63}$/.test(value)) return true;
  return /^[a-z][a-z0-9_.:-]{0,63}$/.test(value) && (value.includes('_') || value.length <= 20);
}

const TEXT_RULES: ReadonlyArray<readonly [RegExp, string | ((...match: string[]) => string)]> = [
  // Authorization header values: `Bearer <token>`, Salesforce's `OAuth <token>`, WordPress's `Basic <base64>`.
  [/\b(Bearer|OAuth|Basic)(\s+)[A-Za-z0-9\-._~+/!]{16,}=*/g, `$1$2${REDACTED}`],
  // Salesforce session ids (= access tokens): `00D<org id>!<secret>`. The org id is not secret.
  [/\b(00D[A-Za-z0-9]{12,15})![A-Za-z0-9._\-~+/=]+/g, `$1!${REDACTED}`],
  // Token-bearing parameters anywhere: query strings, fragments, form bodies, prose.
  [/(?<![A-Za-z0-9_])(access_token|refresh_token|id_token|client_secret|code_verifier|password|assertion)=[^&#\s"'<>]+/gi, `$1=${REDACTED}`],
  // Short names that would hit ordinary words elsewhere: only as URL/cookie parameters.
  [/(^|[?&#;\s])(code|sid|token)=[^&#;\s"'<>]+/gi, `$1$2=${REDACTED}`],
  // JSON text (a response body inside an error message).
  [/"(access_token|refresh_token|id_token|client_secret|code_verifier|password|sid)"(\s*:\s*)"[^"]*"/gi, `"$1"$2"${REDACTED}"`],
  [/"code"(\s*:\s*)"([^"]*)"/gi, (whole: string, colon: string, value: string) => (isHarmlessCode(value) ? whole : `"code"${colon}"${REDACTED}"`)],
  // Passwords in URLs: https://user:password@host.
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s/:@]+):[^\s/@]+@/gi, `$1:${REDACTED}@`],
  // JWTs (id tokens, JWT bearer assertions).
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, REDACTED],
  // WordPress application passwords: six groups of four, as WordPress shows them.
  [/\b[A-Za-z0-9]{4}(?: [A-Za-z0-9]{4}){5}\b/g, REDACTED],
  // WooCommerce REST API keys: consumer key and secret as WooCommerce prints them.
  [/\b(ck|cs)_[a-f0-9]{40}\b/gi, REDACTED],
  // …and as OAuth 1.0a / query parameters (a signature is as good as the secret for a replay window).
  [/(?<![A-Za-z0-9_])(oauth_signature|oauth_consumer_key|consumer_key|consumer_secret)=[^&#,\s"'<>]+/gi, `$1=${REDACTED}`],
  [/\b(oauth_signature|oauth_consumer_key)="[^"]*"/gi, `$1="${REDACTED}"`],
];

/** Replaces every secret-looking part of a string. */
export function redactText(text: string): string {
  let result = text;
  for (const [pattern, replacement] of TEXT_RULES) {
    result = typeof replacement === 'string' ? result.replace(pattern, replacement) : result.replace(pattern, replacement as (...match: string[]) => string);
  }
  return result;
}

/**
 * A copy of `value` that is safe to log and to serialise: secret-named fields replaced at any
 * depth, every string pattern-redacted, Errors as {name, message, code, hint, cause, …},
 * cycles, depth, long strings and long arrays cut. Never throws.
 */
export function redactValue(value: unknown): unknown {
  return walk(value, 0, new Set());
}

function walk(value: unknown, depth: number, ancestors: Set<object>): unknown {
  switch (typeof value) {
    case 'string':
      return truncate(redactText(value));
    case 'number':
    case 'boolean':
    case 'undefined':
      return value;
    case 'bigint':
      return value.toString();
    case 'symbol':
      return value.toString();
    case 'function':
      return '[function]';
    default:
      break;
  }
  if (value === null) return null;
  const object = value as object;
  if (object instanceof Date) return Number.isNaN(object.getTime()) ? 'Invalid Date' : object.toISOString();
  if (object instanceof URL) return truncate(redactText(object.href));
  if (ArrayBuffer.isView(object)) return `[${object.byteLength} bytes]`;
  if (object instanceof ArrayBuffer) return `[${object.byteLength} bytes]`;
  if (ancestors.has(object)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[too deep]';
  ancestors.add(object);
  try {
    if (object instanceof Error) return describeError(object, depth, ancestors);
    if (Array.isArray(object)) return walkList(object, depth, ancestors);
    if (object instanceof Set) return walkList([...object], depth, ancestors);
    if (object instanceof Map) return walkEntries([...object].map(([key, item]) => [String(key), item] as const), depth, ancestors);
    return walkEntries(Object.keys(object).map((key) => [key, readProperty(object, key)] as const), depth, ancestors);
  } catch {
    return '[unreadable]';
  } finally {
    ancestors.delete(object);
  }
}

function walkList(items: readonly unknown[], depth: number, ancestors: Set<object>): unknown[] {
  const shown = items.slice(0, MAX_ITEMS).map((item) => walk(item, depth + 1, ancestors));
  if (items.length > MAX_ITEMS) shown.push(`[${items.length - MAX_ITEMS} more]`);
  return shown;
}

function walkEntries(entries: ReadonlyArray<readonly [string, unknown]>, depth: number, ancestors: Set<object>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, item] of entries) {
    // defineProperty, not assignment: a key named __proto__ must stay a plain field.
    Object.defineProperty(result, key, { value: redactField(key, item, depth, ancestors), enumerable: true, writable: true, configurable: true });
  }
  return result;
}

function redactField(key: string, value: unknown, depth: number, ancestors: Set<object>): unknown {
  if (CODE_KEY.test(key)) return isHarmlessCode(value) ? value : REDACTED;
  if (SECRET_KEY.test(key) && value !== undefined && value !== null) return REDACTED;
  return walk(value, depth + 1, ancestors);
}

function readProperty(object: object, key: string): unknown {
  try {
    return (object as Record<string, unknown>)[key];
  } catch {
    return '[unreadable]';
  }
}

const ERROR_OWN_FIELDS = new Set(['name', 'message', 'code', 'hint', 'cause', 'stack']);

/** Errors serialise as `{}` in JSON; log what helps instead (never the stack: it can hold URLs). */
function describeError(error: Error, depth: number, ancestors: Set<object>): Record<string, unknown> {
  const described: Record<string, unknown> = {
    name: truncate(redactText(String(readProperty(error, 'name') ?? 'Error'))),
    message: truncate(redactText(String(readProperty(error, 'message') ?? ''))),
  };
  const code = readProperty(error, 'code');
  if (code !== undefined) described['code'] = isHarmlessCode(code) ? code : REDACTED;
  const hint = readProperty(error, 'hint');
  if (typeof hint === 'string') described['hint'] = truncate(redactText(hint));
  // Library errors carry useful extras (errorCode, statusCode, a response body): redact them too.
  for (const key of Object.keys(error)) {
    if (!ERROR_OWN_FIELDS.has(key)) described[key] = redactField(key, readProperty(error, key), depth, ancestors);
  }
  const cause = readProperty(error, 'cause');
  if (cause !== undefined) described['cause'] = walk(cause, depth + 1, ancestors);
  return described;
}

function truncate(text: string): string {
  return text.length <= MAX_STRING ? text : `${text.slice(0, MAX_STRING)}…[${text.length - MAX_STRING} more characters]`;
}

/**
 * One line per entry: `<ISO time> <LEVEL> <message> <fields as JSON>`, message and fields
 * redacted. `write` defaults to stderr; tests pass their own.
 */
export function createConsoleLogger(minimum: LogLevel = 'info', write: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Logger {
  const log = (level: LogLevel) => (message: string, fields?: Readonly<Record<string, unknown>>) => {
    if (LEVELS.indexOf(level) < LEVELS.indexOf(minimum)) return;
    let text: string;
    try {
      const redacted = fields === undefined ? undefined : JSON.stringify(redactValue(fields));
      text = `${new Date().toISOString()} ${level.toUpperCase()} ${truncate(redactText(String(message)))}${redacted === undefined ? '' : ` ${redacted}`}`;
    } catch {
      // Logging must never break the work it describes.
      text = `${new Date().toISOString()} ${level.toUpperCase()} ${truncate(redactText(String(message)))} [fields could not be logged]`;
    }
    write(text);
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}
