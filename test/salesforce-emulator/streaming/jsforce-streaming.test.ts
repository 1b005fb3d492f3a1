/**
 * jsforce 3.10.16's own Streaming client (`conn.streaming`, faye over CometD long polling)
 * against the emulator, on Node 20: subscribe to /data/ContactChangeEvent, receive the change
 * events of writes made through jsforce, and — after the server forgets the client (403::Unknown
 * client) — handshake again and replay from the last replay id with jsforce's Replay extension,
 * so a change made while it was away is not lost.
 */
import { StreamingExtension, type Client } from 'jsforce/api/streaming';
import { afterEach, describe, expect, it } from 'vitest';
import { connectWithPkce } from '../test-support';
import { useEmulator } from '../use-emulator';

const emu = useEmulator();

interface ChangeMessage {
  readonly event: { readonly replayId: number };
  readonly payload: { readonly ChangeEventHeader: { readonly changeType: string; readonly recordIds: readonly string[] }; readonly Name?: { readonly LastName?: string } };
}

const clients: Client[] = [];
afterEach(() => {
  // faye's Client has disconnect() (jsforce's typings for faye leave it out).
  for (const client of clients.splice(0)) (client as unknown as { disconnect(): void }).disconnect();
});

async function until<T>(read: () => T | undefined, what: string, ms = 5_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('jsforce conn.streaming against the emulator', () => {
  it('receives CREATE and UPDATE events for writes made through jsforce', async () => {
    emu.handle.configureStreaming(undefined, { connectTimeoutMs: 500 });
    const { conn } = await connectWithPkce(emu);
    const received: ChangeMessage[] = [];
    const client = conn.streaming.createClient([]);
    clients.push(client);
    await client.subscribe('/data/ContactChangeEvent', (message: ChangeMessage) => received.push(message));

    const created = await conn.sobject('Contact').create({ FirstName: 'Katherine', LastName: 'Johnson' });
    const id = (created as { id: string }).id;
    await until(() => received.find((m) => m.payload.ChangeEventHeader.changeType === 'CREATE'), 'the CREATE event');
    await conn.sobject('Contact').update({ Id: id, Title: 'Mathematician' });
    const update = await until(() => received.find((m) => m.payload.ChangeEventHeader.changeType === 'UPDATE'), 'the UPDATE event');
    expect(update.payload.ChangeEventHeader.recordIds).toEqual([id]);
    expect(received[0]!.payload.Name).toEqual({ FirstName: 'Katherine', LastName: 'Johnson' });
    expect(received.map((m) => m.event.replayId)).toEqual([received[0]!.event.replayId, received[0]!.event.replayId + 1]);
  });

  it('after 403::Unknown client it handshakes again and the Replay extension brings what changed meanwhile', async () => {
    emu.handle.configureStreaming(undefined, { connectTimeoutMs: 300 });
    const { conn } = await connectWithPkce(emu);
    const received: ChangeMessage[] = [];
    const channel = '/data/ContactChangeEvent';
    const replay = new StreamingExtension.Replay(channel, -1);
    const client = conn.streaming.createClient([replay]);
    clients.push(client);
    await client.subscribe(channel, (message: ChangeMessage) => received.push(message));

    emu.handle.seed(undefined, 'Contact', [{ LastName: 'Before the drop' }]);
    await until(() => (received.length === 1 ? true : undefined), 'the first event');
    const before = new Set(emu.handle.streamingClients().map((c) => c.clientId));

    // The server forgets the client; a change lands while nobody is subscribed.
    emu.handle.dropStreamingClients();
    emu.handle.seed(undefined, 'Contact', [{ LastName: 'While dropped' }]);
    const names = await until(() => (received.length >= 2 ? received.map((m) => m.payload.Name?.LastName) : undefined), 'the replayed event');
    expect(names).toEqual(['Before the drop', 'While dropped']);
    const after = emu.handle.streamingClients();
    expect(after).toHaveLength(1);
    expect(before.has(after[0]!.clientId)).toBe(false);
    expect(after[0]!.subscriptions).toEqual([channel]);
  });

  it('replays every retained event with -2 from a new client', async () => {
    emu.handle.configureStreaming(undefined, { connectTimeoutMs: 300 });
    emu.handle.seed(undefined, 'Contact', [{ LastName: 'R1' }, { LastName: 'R2' }]);
    const { conn } = await connectWithPkce(emu);
    const received: ChangeMessage[] = [];
    const client = conn.streaming.createClient([new StreamingExtension.Replay('/data/ContactChangeEvent', -2)]);
    clients.push(client);
    await client.subscribe('/data/ContactChangeEvent', (message: ChangeMessage) => received.push(message));
    const names = await until(() => (received.length >= 2 ? received.map((m) => m.payload.Name?.LastName).sort() : undefined), 'the retained events');
    expect(names).toEqual(['R1', 'R2']);
  });
});
