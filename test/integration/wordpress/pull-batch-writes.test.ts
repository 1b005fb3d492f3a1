/**
 * The WordPress client's pieces the pull uses, against the real test WordPress: stock
 * WordPress (the plain site, no companion plugin) does not batch its users routes, so
 * `writeUsersBatch` answers undefined with nothing written (and does not ask again); with the
 * ForceSites Companion (the scratch site) 25 user writes go in one request, each still judged
 * by its own route; and `findUserByEmail` answers the one user with exactly that address, in
 * any case — not one whose address merely contains it.
 */
import { describe, expect, it } from 'vitest';
import { clientFor, wordpress } from './wordpress-support';

const unique = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;

describe('pull writes on a real WordPress', () => {
  it('a batch of user writes is refused as a whole by stock WordPress: nothing written, the client falls back', async () => {
    const { client, lines } = clientFor(wordpress.plain, { allowHttp: true });
    const id = unique();
    const writes = [0, 1].map((n) => ({ kind: 'create' as const, input: { username: `batch.${id}.${n}`, email: `batch.${id}.${n}@example.org`, roles: ['subscriber'] } }));
    expect(await client.writeUsersBatch(writes)).toBeUndefined();
    expect(await client.findUserByEmail(`batch.${id}.0@example.org`)).toBeUndefined();
    expect(await client.findUserByEmail(`batch.${id}.1@example.org`)).toBeUndefined();
    expect(lines.some((line) => line.includes('does not batch user writes'))).toBe(true);
    // Remembered: the next batch costs no request.
    const before = lines.filter((line) => line.includes('/batch/v1')).length;
    expect(await client.writeUsersBatch(writes)).toBeUndefined();
    expect(lines.filter((line) => line.includes('/batch/v1')).length).toBe(before);
  });

  it('with the companion plugin, 25 creates and updates go in one batch request, each refused or written on its own', async () => {
    const { client, lines } = clientFor(wordpress.scratch, { allowHttp: true });
    const id = unique();
    const existing = await client.createUser({ username: `batched.old.${id}`, email: `batched.old.${id}@example.org`, lastName: 'Before' });
    const taken = await client.createUser({ username: `batched.taken.${id}`, email: `batched.taken.${id}@example.org` });
    const creates = Array.from({ length: 22 }, (_, n) => ({ kind: 'create' as const, input: { username: `batched.${id}.${n}`, email: `batched.${id}.${n}@example.org`, lastName: `Zoë ${n}`, roles: ['subscriber'] } }));
    const writes = [
      ...creates,
      { kind: 'update' as const, id: existing.id, input: { lastName: 'After' } },
      // WordPress's own refusals stay with their write: an address another user has, a bad one.
      { kind: 'create' as const, input: { username: `batched.dup.${id}`, email: `batched.taken.${id}@example.org`, roles: ['subscriber'] } },
      { kind: 'create' as const, input: { username: `batched.bad.${id}`, email: 'not-an-address', roles: ['subscriber'] } },
    ];
    const batchCalls = () => lines.filter((line) => line.includes('/batch/v1')).length;
    const answers = await client.writeUsersBatch(writes);
    expect(answers).toHaveLength(25);
    expect(answers!.slice(0, 23).every((answer) => answer.ok)).toBe(true);
    expect(answers![24]!.ok).toBe(false);
    expect(answers![23]!.ok).toBe(false);
    expect(String((answers![23] as { error: Error }).error.message)).toMatch(/email/i);
    // The invalid address fails validation, so the valid writes go again in a second request.
    expect(batchCalls()).toBeLessThanOrEqual(2);
    expect((await client.findUserByEmail(`batched.${id}.21@example.org`))?.lastName).toBe('Zoë 21');
    expect((await client.findUserByEmail(`batched.old.${id}@example.org`))?.lastName).toBe('After');
    expect((await client.findUserByEmail(`batched.taken.${id}@example.org`))?.id).toBe(taken.id);
    expect(await client.findUserByEmail('not-an-address')).toBeUndefined();
    // Deleting users is not batchable even with the plugin.
    const deleteBatch = await fetch(new URL('wp-json/batch/v1', wordpress.scratch.url.endsWith('/') ? wordpress.scratch.url : `${wordpress.scratch.url}/`), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${wordpress.scratch.adminUser}:${wordpress.scratch.applicationPassword}`).toString('base64')}` },
      body: JSON.stringify({ requests: [{ method: 'DELETE', path: `/wp/v2/users/${existing.id}?force=true&reassign=1` }] }),
    });
    const deleteAnswer = (await deleteBatch.json()) as { responses: { body: { code?: string } }[] };
    expect(deleteAnswer.responses[0]!.body.code).toBe('rest_batch_not_allowed');
    expect((await client.findUserByEmail(`batched.old.${id}@example.org`))?.id).toBe(existing.id);
  });

  it('finds a user by the exact address in any case, not one whose address contains it', async () => {
    const { client } = clientFor(wordpress.scratch, { allowHttp: true });
    const id = unique();
    const jo = await client.createUser({ username: `jo.${id}`, email: `jo.${id}@example.org` });
    const bigJo = await client.createUser({ username: `bigjo.${id}`, email: `big.jo.${id}@example.org` });
    expect((await client.findUserByEmail(`JO.${id}@Example.org`))?.id).toBe(jo.id);
    expect((await client.findUserByEmail(`big.jo.${id}@example.org`))?.id).toBe(bigJo.id);
    expect(await client.findUserByEmail(`o.${id}@example.org`)).toBeUndefined();
    expect(await client.findUserByEmail('')).toBeUndefined();
  });
});
