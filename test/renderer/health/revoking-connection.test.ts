import { describe, expect, it } from 'vitest';
import { revokingConnection } from '../../../renderer/src/features/health/approvals-by-user';
import { makeConnection } from '../factories';
import { makeCensus, makeGroup } from './health-fixtures';

describe('which connection revokes an approval', () => {
  const admin = makeConnection({ id: 'conn-admin', userId: '005000000000001' });
  const other = makeConnection({ id: 'conn-other', userId: '005000000000002' });

  it('uses the connection that counted the group', () => {
    const group = makeGroup(3, { userId: '005000000000009', viaConnectionId: 'conn-admin' });
    expect(revokingConnection(makeCensus(), group, [other, admin])).toBe('conn-admin');
  });

  it('falls back to the group owner’s own connection when the counting one is gone or broken', () => {
    const broken = makeConnection({ id: 'conn-admin', userId: '005000000000001', state: { kind: 'needs-reauthorization', cause: 'revoked', detail: 'x' } });
    const group = makeGroup(3, { userId: '005000000000002', viaConnectionId: 'conn-admin' });
    expect(revokingConnection(makeCensus(), group, [broken, other])).toBe('conn-other');
  });

  it('offers none when only own approvals are visible and the owner has no connection', () => {
    const group = makeGroup(3, { userId: '005000000000009' });
    expect(revokingConnection(makeCensus({ scope: 'own-only' }), group, [admin, other])).toBeNull();
  });
});
