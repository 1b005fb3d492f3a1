/**
 * Shape comparison between an emulator response and a recorded Salesforce response.
 *
 * Contract tests should fail when the emulator drifts from the wire format the app will meet
 * in production, but not because a record id or a timestamp differs. So we compare structure:
 * the same keys, the same JSON value types, arrays whose items have the shape of the
 * fixture's items. Values are ignored except for two cheap format checks that catch real bugs
 * (a numeric `issued_at` sent as a number, a relative `id` URL): a fixture string of ten or more
 * digits (an epoch-ms timestamp) must be matched by a digit string, and a fixture `http(s)://`
 * URL by an absolute URL. Short digit strings such as key prefixes (`003`) are ordinary strings.
 *
 * Plain Error, no vitest import: usable from any test runner and from the data half's tests.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export interface ShapeOptions {
  /** Keys the actual object may have beyond the fixture's (anywhere in the tree), or `true` for any. */
  readonly extraKeys?: readonly string[] | true;
  /** Fixture keys the actual object may lack (anywhere in the tree). */
  readonly optionalKeys?: readonly string[];
}

const here = dirname(fileURLToPath(import.meta.url));

/** Absolute path of a fixture, e.g. `fixturePath('shapes/auth_success_response.json')`. */
export function fixturePath(relative: string): string {
  return join(here, 'fixtures', relative);
}

/**
 * Parsed JSON of a fixture under `fixtures/`. `shapes/x.json` may be given as just `x`.
 * An empty file (e.g. the 204 upsert update) yields `undefined`.
 */
export function loadFixture(name: string): unknown {
  const relative = name.includes('/') ? name : `shapes/${name}${name.endsWith('.json') ? '' : '.json'}`;
  const text = readFileSync(fixturePath(relative), 'utf8');
  return text.trim() === '' ? undefined : (JSON.parse(text) as unknown);
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** Every difference as `path: message`; empty when the shapes agree. */
export function shapeMismatches(actual: unknown, fixture: unknown, options: ShapeOptions = {}, path = '$'): string[] {
  // A null in a recording only tells us the field is nullable: any value (or null) is fine.
  if (fixture === null || fixture === undefined) {
    return fixture === undefined && actual !== undefined && actual !== '' ? [`${path}: expected no body, got ${kind(actual)}`] : [];
  }
  const want = kind(fixture);
  const got = kind(actual);
  if (want !== got) return [`${path}: expected ${want}, got ${got}`];

  if (want === 'array') {
    const items = fixture as unknown[];
    const sample = items[0];
    if (sample === undefined) return [];
    return (actual as unknown[]).flatMap((item, index) => shapeMismatches(item, sample, options, `${path}[${index}]`));
  }
  if (want === 'object') {
    const a = actual as Record<string, unknown>;
    const f = fixture as Record<string, unknown>;
    const problems: string[] = [];
    for (const key of Object.keys(f)) {
      if (!(key in a)) {
        if (!options.optionalKeys?.includes(key)) problems.push(`${path}.${key}: missing`);
        continue;
      }
      problems.push(...shapeMismatches(a[key], f[key], options, `${path}.${key}`));
    }
    if (options.extraKeys !== true) {
      for (const key of Object.keys(a)) {
        if (!(key in f) && !options.extraKeys?.includes(key)) problems.push(`${path}.${key}: not in fixture`);
      }
    }
    return problems;
  }
  if (want === 'string') {
    const fs = fixture as string;
    const as = actual as string;
    if (/^\d{10,}$/.test(fs) && !/^\d+$/.test(as)) return [`${path}: expected a digit string like ${JSON.stringify(fs)}, got ${JSON.stringify(as)}`];
    if (/^https?:\/\//.test(fs) && !/^https?:\/\//.test(as)) return [`${path}: expected an absolute URL, got ${JSON.stringify(as)}`];
  }
  return [];
}

/** Throws a readable Error listing every difference. */
export function expectSameShape(actual: unknown, fixture: unknown, options: ShapeOptions = {}): void {
  const problems = shapeMismatches(actual, fixture, options);
  if (problems.length > 0) {
    throw new Error(`Response shape differs from the fixture:\n  ${problems.join('\n  ')}\nactual: ${JSON.stringify(actual)?.slice(0, 2000)}`);
  }
}
