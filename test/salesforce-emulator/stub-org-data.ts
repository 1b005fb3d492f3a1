/**
 * Finds the data half's `createOrgData`. It is written in parallel with the core, so until
 * data/org-data.ts exists we fall back to an org with no data API (every data call answers
 * NOT_FOUND) and the core's own features still work.
 */
import type { DataResponse, OrgData, OrgDataOptions, VirtualSObject } from './data/seam';
import type { CreateOrgData } from './emulator';
import { NOT_FOUND_BODY } from './http-util';

/** Used when data/org-data.ts is missing: keeps virtual objects, refuses everything else. */
export function createMissingOrgData(_options: OrgDataOptions): OrgData {
  const virtuals = new Map<string, VirtualSObject>();
  const notFound: DataResponse = { status: 404, body: NOT_FOUND_BODY };
  const unavailable = (): never => {
    throw new Error('the data half (test/salesforce-emulator/data/org-data.ts) is not available');
  };
  return {
    handle: () => notFound,
    seed: unavailable,
    reset: () => undefined,
    addCustomField: unavailable,
    addCustomObject: unavailable,
    setTopicsEnabled: () => undefined,
    registerVirtualSObject: (name, virtual) => void virtuals.set(name, virtual),
    records: () => [],
  };
}

export async function loadCreateOrgData(): Promise<CreateOrgData> {
  try {
    // A non-literal specifier keeps TypeScript from requiring the file to exist yet.
    const specifier = './data/org-data';
    const mod = (await import(/* @vite-ignore */ specifier)) as { createOrgData?: CreateOrgData };
    if (typeof mod.createOrgData === 'function') return mod.createOrgData;
  } catch {
    // fall through to the stub
  }
  return createMissingOrgData;
}
