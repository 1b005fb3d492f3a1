import { describe, expect, it } from 'vitest';
import { planPull, usernameFor, wordpressEmailProblem, type PullSettings } from '../../../main/sync/pull-planner';
import { makeUser } from '../../integration/sync/support/sync-harness';

const settings: PullSettings = {
  objectType: 'Contact',
  emailField: 'Email',
  role: 'subscriber',
  pullTags: true,
  fieldMapping: [
    { wordpressField: 'email', salesforceField: 'Email', direction: 'both' },
    { wordpressField: 'last_name', salesforceField: 'LastName', direction: 'pull' },
    { wordpressField: 'first_name', salesforceField: 'FirstName', direction: 'push' },
    { wordpressField: 'username', salesforceField: 'Nickname__c', direction: 'pull' },
    { wordpressField: 'meta:company', salesforceField: 'Company__c', direction: 'both' },
  ],
};

describe('planPull', () => {
  it('creates with a free username, the role, pulled fields, meta and tags; never writes push-only fields or the username mapping', () => {
    const plan = planPull({ Id: '003A', Email: 'ann@example.org', LastName: "O'Brien", FirstName: 'Ignored', Nickname__c: 'x', Company__c: 'Acme' }, ['Gold'], undefined, settings, new Set(['ann']));
    expect(plan).toMatchObject({ kind: 'create', input: { email: 'ann@example.org', username: 'ann2', roles: ['subscriber'], lastName: "O'Brien", meta: { company: 'Acme' }, tags: ['Gold'] } });
    expect(plan.kind === 'create' && 'firstName' in plan.input).toBe(false);
  });

  it('updates only what differs and keeps the existing address; unchanged when nothing does', () => {
    const existing = makeUser(9, { email: 'ANN@example.org', lastName: 'Old', tags: ['Gold'], meta: { company: 'Acme' } });
    expect(planPull({ Id: '003A', Email: 'ann@example.org', LastName: 'New', Company__c: 'Acme' }, ['Gold'], existing, settings, new Set())).toEqual({
      kind: 'update', salesforceId: '003A', email: 'ann@example.org', wpUserId: 9, input: { lastName: 'New' }, changes: [{ field: 'last_name', old: 'Old', new: 'New' }],
    });
    expect(planPull({ Id: '003A', Email: 'ann@example.org', LastName: 'Old', Company__c: 'Acme' }, ['Gold'], existing, settings, new Set())).toMatchObject({ kind: 'unchanged', wpUserId: 9 });
  });

  it('refuses addresses WordPress would refuse, saying why', () => {
    expect(wordpressEmailProblem('')).toMatch(/no e-mail/);
    expect(wordpressEmailProblem(`${'a'.repeat(95)}@example.org`)).toMatch(/100 characters/);
    expect(wordpressEmailProblem('a@-example.org')).toMatch(/not an e-mail address WordPress accepts/);
    expect(planPull({ Id: '003A', Email: '' }, null, undefined, settings, new Set())).toMatchObject({ kind: 'invalid' });
  });

  it('usernameFor: the local part, cleaned, suffixed until free', () => {
    const taken = new Set(['ann', 'ann2']);
    expect(usernameFor('Ann@example.org', taken)).toBe('Ann3');
    expect(usernameFor('ü+x@example.org', new Set())).toBe('x');
  });
});
