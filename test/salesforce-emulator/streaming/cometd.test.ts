/**
 * The CometD endpoint and change events over raw HTTP, message by message: handshake,
 * subscribe with replay ids, held long polls released by writes through REST, Collections
 * and Bulk API 2.0, retention on the emulator clock, 403::Unknown client, authentication.
 */
import { describe, expect, it } from 'vitest';
import { useEmulator } from '../use-emulator';

const emu = useEmulator({ startTime: Date.parse('2026-12-01T10:00:00Z') });
const V = '66.0';

// Bayeux answers are free-form JSON read deep in assertions; typing every path would only restate them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Msg = Record<string, any>;

function token(): string {
  const body = emu.handle.authorizeDirect(undefined, { user: 'admin@forcesites.test' }) as Record<string, string>;
  return body.access_token!;
}

async function bayeux(accessToken: string, messages: Msg | Msg[]): Promise<Msg[]> {
  const response = await fetch(`${emu.instanceUrl}/cometd/${V}`, {
    method: 'POST',
    headers: { Authorization: `OAuth ${accessToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(messages),
    signal: AbortSignal.timeout(10_000),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Msg[];
}

async function rest(accessToken: string, method: string, path: string, body?: unknown): Promise<Msg> {
  const response = await fetch(`${emu.instanceUrl}/services/data/v${V}/${path}`, {
    method,
    headers: { Authorization: `Bearer ${accessToken}`, 'Content-Type': path.endsWith('/batches') ? 'text/csv' : 'application/json' },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  return (text === '' ? {} : text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : { text }) as Msg;
}

/** A subscribed client whose first (immediate) connect is done. */
async function subscribed(accessToken: string, channel: string | string[] = '/data/ContactChangeEvent', replay: number | Record<string, number> = -1) {
  const [hs] = await bayeux(accessToken, { channel: '/meta/handshake', version: '1.0', supportedConnectionTypes: ['long-polling'], id: '1' });
  const clientId = hs!.clientId as string;
  const channels = ([] as string[]).concat(channel);
  const replayMap = typeof replay === 'number' ? Object.fromEntries(channels.map((c) => [c, replay])) : replay;
  const subs = await bayeux(accessToken, channels.map((c, i) => ({ channel: '/meta/subscribe', clientId, subscription: c, id: `s${i}`, ext: { replay: replayMap } })));
  const first = await bayeux(accessToken, { channel: '/meta/connect', clientId, connectionType: 'long-polling', id: 'c0' });
  let n = 0;
  const connect = async () => bayeux(accessToken, { channel: '/meta/connect', clientId, connectionType: 'long-polling', id: `c${++n}` });
  return { clientId, hs: hs!, subs, first, connect };
}

const eventsOf = (answer: Msg[]) => answer.filter((m) => !m.channel.startsWith('/meta/'));

describe('CometD handshake, subscribe and connect', () => {
  it('handshakes with replay support, answers the first connect at once, and delivers a REST create as a CREATE event', async () => {
    const t = token();
    const { hs, subs, first, connect } = await subscribed(t);
    expect(hs).toMatchObject({ channel: '/meta/handshake', successful: true, version: '1.0', supportedConnectionTypes: ['long-polling'], ext: { replay: true, 'payload.format': true }, advice: { reconnect: 'retry', timeout: 110_000, interval: 0 } });
    expect(hs.clientId).toMatch(/^[a-z0-9]{20,}$/);
    expect(subs).toEqual([{ id: 's0', channel: '/meta/subscribe', clientId: hs.clientId, subscription: '/data/ContactChangeEvent', successful: true }]);
    expect(first).toEqual([{ id: 'c0', channel: '/meta/connect', clientId: hs.clientId, successful: true, advice: { interval: 0, timeout: 110_000, reconnect: 'retry' } }]);

    const created = await rest(t, 'POST', 'sobjects/Contact', { FirstName: 'Ada', LastName: 'Lovelace', Email: 'ada@example.org', MailingCity: 'London' });
    const answer = await connect();
    const [event] = eventsOf(answer);
    expect(answer[answer.length - 1]).toMatchObject({ channel: '/meta/connect', successful: true });
    expect(event).toMatchObject({
      channel: '/data/ContactChangeEvent',
      data: {
        schema: expect.stringMatching(/^[\w-]{22}$/),
        event: { replayId: expect.any(Number) },
        payload: {
          ChangeEventHeader: {
            entityName: 'Contact',
            recordIds: [created.id],
            changeType: 'CREATE',
            changeOrigin: `com/salesforce/api/rest/${V}`,
            transactionKey: expect.stringMatching(/^[0-9a-f-]{36}$/),
            sequenceNumber: 1,
            commitTimestamp: emu.handle.now(),
            commitNumber: expect.any(Number),
            commitUser: emu.users[0]!.userId,
            nulledFields: [],
            diffFields: [],
            changedFields: [],
          },
          Name: { FirstName: 'Ada', LastName: 'Lovelace' },
          Email: 'ada@example.org',
          MailingAddress: { City: 'London' },
          CreatedById: emu.users[0]!.userId,
        },
      },
    });
    expect(event!.data.payload).not.toHaveProperty('Id');
    expect(event!.data.payload).not.toHaveProperty('SystemModstamp');
  });

  it('holds a connect until a write releases it; update lists changed and nulled fields, delete carries only the header', async () => {
    const t = token();
    const { id } = await rest(t, 'POST', 'sobjects/Contact', { LastName: 'Hopper', Email: 'grace@example.org', Title: 'Rear Admiral' });
    const { connect } = await subscribed(t);
    const started = Date.now();
    const held = connect();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await rest(t, 'PATCH', `sobjects/Contact/${id}`, { FirstName: 'Grace', Title: null });
    const [update] = eventsOf(await held);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(update!.data.payload).toMatchObject({
      ChangeEventHeader: { changeType: 'UPDATE', recordIds: [id], changedFields: expect.arrayContaining(['Name.FirstName', 'Title', 'LastModifiedDate']), nulledFields: ['Title'] },
      Name: { FirstName: 'Grace' },
      Title: null,
    });
    expect(update!.data.payload).not.toHaveProperty('Email');

    await rest(t, 'DELETE', `sobjects/Contact/${id}`);
    const [deleted] = eventsOf(await connect());
    expect(Object.keys(deleted!.data.payload)).toEqual(['ChangeEventHeader']);
    expect(deleted!.data.payload.ChangeEventHeader).toMatchObject({ changeType: 'DELETE', recordIds: [id], changedFields: [] });
  });

  it('answers an empty connect when the timeout passes (shortened here)', async () => {
    emu.handle.configureStreaming(undefined, { connectTimeoutMs: 200 });
    const t = token();
    const { connect } = await subscribed(t);
    const answer = await connect();
    expect(answer).toEqual([expect.objectContaining({ channel: '/meta/connect', successful: true, advice: { interval: 0, timeout: 200, reconnect: 'retry' } })]);
  });
});

describe('change events from every write path', () => {
  it('Collections: the same change to several records is one event; different creates share a transaction key; a rolled-back request sends nothing', async () => {
    const t = token();
    const ids = emu.handle.seed(undefined, 'Contact', [{ LastName: 'A' }, { LastName: 'B' }, { LastName: 'C' }]);
    const { connect } = await subscribed(t);
    await rest(t, 'PATCH', 'composite/sobjects', { allOrNone: false, records: ids.map((id) => ({ attributes: { type: 'Contact' }, id, Department: 'Members' })) });
    const [same] = eventsOf(await connect());
    expect(same!.data.payload.ChangeEventHeader).toMatchObject({ changeType: 'UPDATE', recordIds: ids, changedFields: expect.arrayContaining(['Department']) });

    await rest(t, 'POST', 'composite/sobjects', { allOrNone: false, records: [{ attributes: { type: 'Contact' }, LastName: 'D' }, { attributes: { type: 'Contact' }, LastName: 'E' }] });
    const creates = eventsOf(await connect());
    expect(creates).toHaveLength(2);
    expect(new Set(creates.map((e) => e.data.payload.ChangeEventHeader.transactionKey)).size).toBe(1);
    expect(creates.map((e) => e.data.payload.ChangeEventHeader.sequenceNumber)).toEqual([1, 2]);

    // allOrNone with one bad record: nothing is committed, so nothing is announced.
    const before = emu.handle.changeEvents().length;
    const failed = await rest(t, 'POST', 'composite/sobjects', { allOrNone: true, records: [{ attributes: { type: 'Contact' }, LastName: 'F' }, { attributes: { type: 'Contact' } }] });
    expect(failed[0].success).toBe(false);
    expect(emu.handle.changeEvents()).toHaveLength(before);
  });

  it('Bulk API 2.0: chunks of 200 commit together; a failed row is not in any event', async () => {
    const t = token();
    const rows = Array.from({ length: 450 }, (_, i) => `Bulk ${i},bulk${i}@example.org`);
    rows[7] = ','; // LastName missing: fails
    const job = await rest(t, 'POST', 'jobs/ingest', { object: 'Contact', operation: 'insert', contentType: 'CSV', lineEnding: 'LF' });
    await rest(t, 'PUT', `jobs/ingest/${job.id}/batches`, `LastName,Email\n${rows.join('\n')}\n`);
    await rest(t, 'PATCH', `jobs/ingest/${job.id}`, { state: 'UploadComplete' });
    for (let i = 0; i < 5; i += 1) {
      const status = await rest(t, 'GET', `jobs/ingest/${job.id}`);
      if (status.state === 'JobComplete') break;
    }
    const events = emu.handle.changeEvents(undefined, { channel: '/data/ContactChangeEvent' });
    const ids = events.flatMap((e) => e.data.payload.ChangeEventHeader.recordIds);
    expect(ids).toHaveLength(449);
    expect(new Set(events.map((e) => e.data.payload.ChangeEventHeader.transactionKey)).size).toBe(3);
    expect(events.map((e) => e.replayId)).toEqual([...events.map((e) => e.replayId)].sort((a, b) => a - b));
  });

  it('a burst of 10,000 Bulk changes reaches a subscriber in order, at most 500 events an answer, none lost', async () => {
    const t = token();
    const { connect } = await subscribed(t);
    const job = await rest(t, 'POST', 'jobs/ingest', { object: 'Contact', operation: 'insert', contentType: 'CSV', lineEnding: 'LF' });
    const rows = Array.from({ length: 10_000 }, (_, i) => `Burst ${i}`);
    await rest(t, 'PUT', `jobs/ingest/${job.id}/batches`, `LastName\n${rows.join('\n')}\n`);
    await rest(t, 'PATCH', `jobs/ingest/${job.id}`, { state: 'UploadComplete' });
    while ((await rest(t, 'GET', `jobs/ingest/${job.id}`)).state !== 'JobComplete');
    const replayIds: number[] = [];
    let answers = 0;
    while (replayIds.length < 10_000) {
      const events = eventsOf(await connect());
      expect(events.length).toBeGreaterThan(0);
      expect(events.length).toBeLessThanOrEqual(500);
      replayIds.push(...events.map((e) => e.data.event.replayId as number));
      answers += 1;
    }
    expect(answers).toBe(20);
    expect(replayIds).toEqual(Array.from({ length: 10_000 }, (_, i) => replayIds[0]! + i));
  });

  it('sends nothing for objects not selected for Change Data Capture, until they are', async () => {
    const t = token();
    await rest(t, 'POST', 'sobjects/Account', { Name: 'Acme' });
    expect(emu.handle.changeEvents()).toHaveLength(0);
    const [hs] = await bayeux(t, { channel: '/meta/handshake', version: '1.0', supportedConnectionTypes: ['long-polling'] });
    const [refused] = await bayeux(t, { channel: '/meta/subscribe', clientId: hs!.clientId, subscription: '/data/AccountChangeEvent' });
    expect(refused).toMatchObject({ successful: false, error: '400::The channel you requested to subscribe to does not exist {/data/AccountChangeEvent}' });
    emu.handle.configureStreaming(undefined, { changeDataCapture: ['Contact', 'Account'] });
    const { connect } = await subscribed(t, '/data/AccountChangeEvent');
    await rest(t, 'POST', 'sobjects/Account', { Name: 'Globex' });
    expect(eventsOf(await connect())[0]!.data.payload).toMatchObject({ ChangeEventHeader: { entityName: 'Account' }, Name: 'Globex' });
  });

  it('custom objects use the __ChangeEvent channel, and /data/ChangeEvents carries every selected object', async () => {
    emu.handle.addCustomObject(undefined, 'Member__c', 'Member');
    emu.handle.configureStreaming(undefined, { changeDataCapture: ['Contact', 'Member__c'] });
    const t = token();
    const { connect } = await subscribed(t, ['/data/Member__ChangeEvent', '/data/ChangeEvents']);
    await rest(t, 'POST', 'sobjects/Member__c', { Name: 'M-1' });
    await rest(t, 'POST', 'sobjects/Contact', { LastName: 'Only on the all channel' });
    const events = eventsOf(await connect());
    expect(events.map((e) => [e.channel, e.data.payload.ChangeEventHeader.entityName])).toEqual([
      ['/data/Member__ChangeEvent', 'Member__c'],
      ['/data/ChangeEvents', 'Member__c'],
      ['/data/ChangeEvents', 'Contact'],
    ]);
  });
});

describe('replay and retention', () => {
  it('-2 replays everything retained, a stored id replays what came after it, -1 only new events', async () => {
    const t = token();
    emu.handle.seed(undefined, 'Contact', [{ LastName: 'One' }]);
    emu.handle.seed(undefined, 'Contact', [{ LastName: 'Two' }]);
    emu.handle.seed(undefined, 'Contact', [{ LastName: 'Three' }]);
    const [first, second] = emu.handle.changeEvents();
    const all = await subscribed(t, '/data/ContactChangeEvent', -2);
    expect(eventsOf(all.first).map((e) => e.data.payload.Name.LastName)).toEqual(['One', 'Two', 'Three']);
    const after = await subscribed(t, '/data/ContactChangeEvent', first!.replayId);
    expect(eventsOf(after.first).map((e) => e.data.event.replayId)).toEqual([second!.replayId, second!.replayId + 1]);
    const fresh = await subscribed(t, '/data/ContactChangeEvent', -1);
    expect(eventsOf(fresh.first)).toEqual([]);
  });

  it('keeps events 72 hours on the emulator clock; a replay id older than that is refused with Salesforce’s message', async () => {
    emu.handle.seed(undefined, 'Contact', [{ LastName: 'Old' }]);
    const [old] = emu.handle.changeEvents();
    emu.handle.advanceClock({ hours: 71 });
    emu.handle.seed(undefined, 'Contact', [{ LastName: 'Newer' }]);
    expect(emu.handle.changeEvents()).toHaveLength(2);
    emu.handle.advanceClock({ hours: 2 });
    expect(emu.handle.changeEvents().map((e) => (e.data.payload.Name as { LastName: string }).LastName)).toEqual(['Newer']);

    // A session of three days ago has long timed out: sign in again.
    const t = token();
    const [hs] = await bayeux(t, { channel: '/meta/handshake', version: '1.0', supportedConnectionTypes: ['long-polling'] });
    const [refused] = await bayeux(t, { channel: '/meta/subscribe', clientId: hs!.clientId, subscription: '/data/ContactChangeEvent', ext: { replay: { '/data/ContactChangeEvent': old!.replayId - 1 } } });
    expect(refused).toMatchObject({
      successful: false,
      error: `400::The replayId {${old!.replayId - 1}} you provided was invalid.  Please provide a valid ID, -2 to replay all events, or -1 to replay only new events.`,
    });
    // The id of the last pruned event is still a valid starting point: nothing after it is lost.
    const [ok] = await bayeux(t, { channel: '/meta/subscribe', clientId: hs!.clientId, subscription: '/data/ContactChangeEvent', ext: { replay: { '/data/ContactChangeEvent': old!.replayId } } });
    expect(ok).toMatchObject({ successful: true });
    const [future] = await bayeux(t, { channel: '/meta/subscribe', clientId: hs!.clientId, subscription: '/data/ContactChangeEvent', ext: { replay: { '/data/ContactChangeEvent': 999_999 } } });
    expect(future).toMatchObject({ successful: false, error: expect.stringContaining('{999999}') });
  });
});

describe('clients and sessions', () => {
  it('403::Unknown client with advice to handshake after the server forgets clients, and a held poll is answered so', async () => {
    const t = token();
    const { clientId, connect } = await subscribed(t);
    const held = connect();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(emu.handle.streamingClients()).toEqual([{ clientId, userId: emu.users[0]!.userId, subscriptions: ['/data/ContactChangeEvent'], queued: 0, polling: true }]);
    expect(emu.handle.dropStreamingClients()).toBe(1);
    expect(await held).toEqual([{ id: 'c1', channel: '/meta/connect', clientId, successful: false, error: '403::Unknown client', advice: { reconnect: 'handshake', interval: 0 } }]);
    expect((await connect())[0]).toMatchObject({ error: '403::Unknown client' });
  });

  it('forgets a client that stops polling (emulator clock), and one that disconnects', async () => {
    const t = token();
    const idle = await subscribed(t);
    emu.handle.advanceClock({ seconds: 41 });
    expect((await idle.connect())[0]).toMatchObject({ successful: false, error: '403::Unknown client' });
    const leaving = await subscribed(t);
    expect(await bayeux(t, { channel: '/meta/disconnect', clientId: leaving.clientId, id: 'd' })).toEqual([{ id: 'd', channel: '/meta/disconnect', clientId: leaving.clientId, successful: true }]);
    expect((await leaving.connect())[0]).toMatchObject({ error: '403::Unknown client' });
  });

  it('keeps events queued for a client whose poll dropped, and delivers them on its next connect', async () => {
    emu.handle.configureStreaming(undefined, { connectTimeoutMs: 5_000 });
    const t = token();
    const { clientId } = await subscribed(t);
    const abort = new AbortController();
    const dropped = fetch(`${emu.instanceUrl}/cometd/${V}`, {
      method: 'POST',
      headers: { Authorization: `OAuth ${t}`, 'Content-Type': 'application/json' },
      body: JSON.stringify([{ channel: '/meta/connect', clientId, connectionType: 'long-polling', id: 'x' }]),
      signal: abort.signal,
    }).catch(() => 'aborted');
    await new Promise((resolve) => setTimeout(resolve, 100));
    abort.abort();
    expect(await dropped).toBe('aborted');
    await new Promise((resolve) => setTimeout(resolve, 50));
    emu.handle.seed(undefined, 'Contact', [{ LastName: 'While away' }]);
    const answer = await bayeux(t, { channel: '/meta/connect', clientId, connectionType: 'long-polling', id: 'y' });
    expect(eventsOf(answer).map((e) => e.data.payload.Name.LastName)).toEqual(['While away']);
  });

  it('refuses a bad session: handshake denied, other calls 401 with reconnect none; publishing is denied', async () => {
    const [hs] = await bayeux('00D000000000001!not-a-token', { channel: '/meta/handshake', version: '1.0', supportedConnectionTypes: ['long-polling'] });
    expect(hs).toEqual({ channel: '/meta/handshake', successful: false, error: '403::Handshake denied', ext: { sfdc: { failureReason: '401::Authentication invalid' } }, advice: { reconnect: 'none' } });
    const t = token();
    const { clientId } = await subscribed(t);
    emu.handle.expireAllSessions();
    const [connect] = await bayeux(t, { channel: '/meta/connect', clientId, connectionType: 'long-polling' });
    expect(connect).toMatchObject({ successful: false, error: '401::Authentication invalid', advice: { reconnect: 'none' } });
    const t2 = token();
    const other = await subscribed(t2);
    const [publish] = await bayeux(t2, { channel: '/data/ContactChangeEvent', clientId: other.clientId, data: {} });
    expect(publish).toMatchObject({ successful: false, error: '403::Publish denied' });
  });

  it('answers bad requests with 4xx and counts no API calls', async () => {
    const t = token();
    emu.handle.resetApiCalls();
    const post = (path: string, body: string, method = 'POST') => fetch(`${emu.instanceUrl}${path}`, { method, headers: { Authorization: `OAuth ${t}` }, ...(method === 'GET' ? {} : { body }) });
    expect((await post(`/cometd/${V}`, 'not json')).status).toBe(400);
    expect((await post(`/cometd/${V}`, '[]')).status).toBe(400);
    expect((await post('/cometd/12.0', '[]')).status).toBe(404);
    expect((await post(`/cometd/${V}`, '', 'GET')).status).toBe(405);
    await subscribed(t);
    expect(emu.handle.apiCalls().total).toBe(0);
    expect(emu.handle.requestLog({ kind: 'streaming' }).entries.length).toBeGreaterThanOrEqual(7);
  });
});

describe('control API', () => {
  it('reads and changes the streaming settings, lists change events and drops clients', async () => {
    const control = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${emu.controlUrl}${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      return { status: response.status, body: (await response.json()) as Msg };
    };
    expect((await control('PATCH', '/orgs/default/streaming', { changeDataCapture: ['Lead'], connectTimeoutMs: 1000 })).body.settings).toMatchObject({ changeDataCapture: ['Lead'], connectTimeoutMs: 1000, retentionMs: 72 * 3_600_000 });
    expect((await control('PATCH', '/orgs/default/streaming', { connectTimeoutMs: -1 })).status).toBe(400);
    emu.handle.seed(undefined, 'Lead', [{ LastName: 'Lead', Company: 'Co' }]);
    const events = (await control('GET', '/orgs/default/change-events?channel=/data/LeadChangeEvent')).body.events as Msg[];
    expect(events.map((e) => e.data.payload.ChangeEventHeader.entityName)).toEqual(['Lead']);
    expect((await control('GET', `/orgs/default/change-events?after=${events[0]!.replayId}`)).body.events).toEqual([]);
    await subscribed(token(), '/data/LeadChangeEvent');
    expect((await control('GET', '/orgs/default/streaming')).body.clients).toHaveLength(1);
    expect((await control('POST', '/orgs/default/streaming/drop-clients')).body).toEqual({ dropped: 1 });
  });
});
