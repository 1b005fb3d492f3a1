import type { Logger } from '../../main/platform/logger';

/** Keeps every log line as text, so tests can search them for secrets. */
export class CapturingLogger implements Logger {
  readonly lines: string[] = [];

  debug(message: string, fields?: Readonly<Record<string, unknown>>): void {
    this.#add('debug', message, fields);
  }
  info(message: string, fields?: Readonly<Record<string, unknown>>): void {
    this.#add('info', message, fields);
  }
  warn(message: string, fields?: Readonly<Record<string, unknown>>): void {
    this.#add('warn', message, fields);
  }
  error(message: string, fields?: Readonly<Record<string, unknown>>): void {
    this.#add('error', message, fields);
  }

  #add(level: string, message: string, fields: Readonly<Record<string, unknown>> | undefined): void {
    this.lines.push(`${level} ${message}${fields === undefined ? '' : ` ${JSON.stringify(fields)}`}`);
  }
}
