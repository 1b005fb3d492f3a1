import { describe, expect, it } from 'vitest';
import { EventRelay } from '../../../common/event-relay';

const banner = (id: string) => ({ id, level: 'info' as const, message: id });

describe('EventRelay', () => {
  it('holds at most the newest N events per channel until a listener comes', () => {
    const relay = new EventRelay(2);
    for (const id of ['a', 'b', 'c']) relay.deliver('app:banner', banner(id));
    relay.deliver('app:banner-cleared', { id: 'x' });
    const seen: string[] = [];
    relay.on('app:banner', (payload) => seen.push(payload.id));
    expect(seen).toEqual(['b', 'c']);
    // Held events go to the first listener only; later ones see live events.
    const late: string[] = [];
    relay.on('app:banner', (payload) => late.push(payload.id));
    relay.deliver('app:banner', banner('d'));
    expect(seen).toEqual(['b', 'c', 'd']);
    expect(late).toEqual(['d']);
  });

  it('holds again once every listener has gone', () => {
    const relay = new EventRelay();
    const off = relay.on('app:banner', () => undefined);
    off();
    relay.deliver('app:banner', banner('while-away'));
    const seen: string[] = [];
    relay.on('app:banner', (payload) => seen.push(payload.id));
    expect(seen).toEqual(['while-away']);
  });
});
