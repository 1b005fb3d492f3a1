/**
 * Types the sync's files share, kept apart so no two of them import each other: the users
 * port main/app implements, the API-call counters, and a user's Topic changes.
 */
import type { WordpressUser } from '../../common/wordpress-models';

export interface SyncUsersPage {
  readonly items: readonly WordpressUser[];
  /** X-WP-Total, when WordPress said. */
  readonly total?: number;
}

/** The WordPress users of a site, page by page (main/app implements it with the WordPress client). */
export type ReadUsers = (siteId: string, signal: AbortSignal) => AsyncIterable<SyncUsersPage>;

/** API calls and Bulk polls a run made (the run history shows them). */
export interface Counters {
  calls: number;
  polls: number;
}

/** What the push changes in one user's Topics. */
export interface TopicChange {
  readonly wpUserId: number;
  /** Topic names to assign (WordPress's spelling, or the existing Topic's). */
  readonly add: readonly string[];
  /** TopicAssignment ids to delete. */
  readonly remove: readonly string[];
  readonly oldNames: readonly string[];
  readonly newNames: readonly string[];
}
