/**
 * An org without a data API (every data call answers NOT_FOUND), for tests of the core that
 * want to see what the core registers with the data half, or to run without it:
 * `startEmulator({ createOrgData: createStubOrgData })`.
 */
import type { DataResponse, OrgData, OrgDataOptions, VirtualSObject } from './data/seam';
import { NOT_FOUND_BODY } from './http-util';

export function createStubOrgData(_options: OrgDataOptions): OrgData {
  const virtuals = new Map<string, VirtualSObject>();
  const notFound: DataResponse = { status: 404, body: NOT_FOUND_BODY };
  const unavailable = (): never => {
    throw new Error('this org has no data half (createStubOrgData)');
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
