/**
 * The WordPress client's pieces the pull uses, against the real test WordPress: stock
 * WordPress does not batch its users routes, so `writeUsersBatch` answers undefined with
 * nothing written (and does not ask again), and `findUserByEmail` answers the one user with
 * exactly that address, in any case — not one whose address merely contains it.
 */
import { describe, expect, it } from 'vitest';
import { clientFor, wordpress } from './wordpress-support';

const unique = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;

describe('pull writes on a real WordPress', () => {
  it('a batch of user writes is refused as a whole by stock WordPress: nothing written, the client falls back', async () => {
    const { client, lines } = clientFor(wordpress.scratch, { allowHttp: true });
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
