/**
 * The Logger used by the editions: one line per entry on stderr. Services already keep
 * secrets out of their log calls; as a second line of defence, any field whose name says it
 * could hold one is replaced before printing.
 */
import type { Logger } from './logger';

const SECRET_FIELD = /token|password|secret|authorization|cookie|code_verifier|^code$/i;

export function redactFields(fields: Readonly<Record<string, unknown>> | undefined): Record<string, unknown> | undefined {
  if (fields === undefined) return undefined;
  return Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, SECRET_FIELD.test(key) ? '[redacted]' : value]));
}

export function createConsoleLogger(minimum: 'debug' | 'info' | 'warn' | 'error' = 'info', write: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Logger {
  const order = ['debug', 'info', 'warn', 'error'] as const;
  const log = (level: (typeof order)[number]) => (message: string, fields?: Readonly<Record<string, unknown>>) => {
    if (order.indexOf(level) < order.indexOf(minimum)) return;
    const redacted = redactFields(fields);
    write(`${new Date().toISOString()} ${level.toUpperCase()} ${message}${redacted ? ` ${JSON.stringify(redacted)}` : ''}`);
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}
