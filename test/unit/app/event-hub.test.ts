import { describe, expect, it } from 'vitest';
import { EventHub } from '../../../main/app/event-hub';

describe('EventHub', () => {
  it('queues events raised before a window listens and delivers them in order', () => {
    const hub = new EventHub();
    hub.emit('app:banner', { id: 'a', level: 'info', message: 'first' });
    hub.emit('app:banner', { id: 'b', level: 'info', message: 'second' });
    const seen: string[] = [];
    hub.subscribe((_channel, payload) => seen.push((payload as { id: string }).id));
    hub.emit('app:banner', { id: 'c', level: 'info', message: 'live' });
    expect(seen).toEqual(['a', 'b', 'c']);
  });

  it('bounds the queue, dropping the oldest', () => {
    const hub = new EventHub(2);
    for (const id of ['a', 'b', 'c']) hub.emit('app:banner', { id, level: 'info', message: id });
    const seen: string[] = [];
    hub.subscribe((_channel, payload) => seen.push((payload as { id: string }).id));
    expect(seen).toEqual(['b', 'c']);
  });
});
