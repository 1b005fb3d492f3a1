/**
 * The logging port used by main-process services.
 *
 * Services never log secrets. Values that identify a secret without revealing it (an
 * authorization code in a diagnostic) go through `lastChars`, which keeps at most the last
 * four characters, as Salesforce CLI does.
 */
export interface Logger {
  debug(message: string, fields?: Readonly<Record<string, unknown>>): void;
  info(message: string, fields?: Readonly<Record<string, unknown>>): void;
  warn(message: string, fields?: Readonly<Record<string, unknown>>): void;
  error(message: string, fields?: Readonly<Record<string, unknown>>): void;
}

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
