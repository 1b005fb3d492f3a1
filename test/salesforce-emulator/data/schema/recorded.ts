/**
 * The recorded describes (fixtures/recorded/, read-only). Loaded once per process and cloned
 * per org, so an org's custom fields never leak into another org or into the fixture.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

type Json = Record<string, unknown>;

const cache = new Map<string, Json>();

function fixturePath(file: string): string {
  return fileURLToPath(new URL(`../../fixtures/recorded/${file}`, import.meta.url));
}

function shared(file: string): Json {
  let json = cache.get(file);
  if (!json) {
    json = JSON.parse(readFileSync(fixturePath(file), 'utf8')) as Json;
    cache.set(file, json);
  }
  return json;
}

function load(file: string): Json {
  return structuredClone(shared(file));
}

/** True when fixtures/recorded/<Name>.describe.json exists: a recording wins over a reference list. */
export function hasRecording(name: string): boolean {
  return cache.has(`${name}.describe.json`) || existsSync(fixturePath(`${name}.describe.json`));
}

/** A recorded describe, cloned (an org may add fields to it). */
export function recordedDescribe(name: string): Json {
  return load(`${name}.describe.json`);
}

export function recordedGlobal(): Json {
  return load('global.describe.json');
}

/** Read-only view of the recorded global describe (callers must not mutate it). */
export function recordedGlobalShared(): Json {
  return shared('global.describe.json');
}

/** Read-only view of the recorded Contact describe top level. */
export function recordedContactShared(): Json {
  return shared('Contact.describe.json');
}

/** A recorded Contact field by name: the template every built field is derived from. */
export function recordedContactField(name: string): Json {
  // Clone just the field: cloning the whole 120 KB describe per built field made orgs slow to create.
  const field = (shared('Contact.describe.json').fields as Json[]).find((f) => f.name === name);
  if (!field) throw new Error(`recorded Contact describe has no field ${name}`);
  return structuredClone(field);
}
