/**
 * What ForceSites did, for the Activity page. A bounded ring: the log is for the admin's
 * recent history, not an audit store. Callers pass plain sentences; nothing here may hold a
 * token or password, so the log never receives raw library errors.
 */
import type { ActivityEntry } from '../../common/models';
import type { EventSink } from './event-hub';

export class ActivityLog {
  private readonly entries: ActivityEntry[] = [];
  private sequence = 0;

  constructor(
    private readonly emit: EventSink,
    private readonly now: () => Date = () => new Date(),
    private readonly capacity = 1000,
  ) {}

  add(level: ActivityEntry['level'], area: ActivityEntry['area'], message: string): ActivityEntry {
    const entry: ActivityEntry = { id: `a${++this.sequence}`, at: this.now().toISOString(), level, area, message };
    this.entries.push(entry);
    if (this.entries.length > this.capacity) this.entries.shift();
    this.emit('activity:added', entry);
    return entry;
  }

  /** Newest first. */
  list(limit = 200): readonly ActivityEntry[] {
    return this.entries.slice(-limit).reverse();
  }
}
