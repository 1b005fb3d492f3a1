import { CHANGE_FEED_POLL_DEFAULT_SECONDS } from '../../common/change-feed-models';
import { SYNC_SETTING_DEFAULTS, type Settings } from '../../common/models';

/**
 * Settings a new profile starts with. The approval cap follows Salesforce's help (five
 * approvals per user per connected app); warnings start one earlier because the connector
 * guide this product starts from says four.
 */
export const DEFAULT_SETTINGS: Settings = Object.freeze({
  approvalCap: 5,
  approvalWarnAt: 4,
  healthIntervalHours: 6,
  watchedApps: Object.freeze(['WP Fusion (OAuth)']),
  callbackPorts: Object.freeze([1717, 1718, 1719]),
  requestTimeoutSeconds: 30,
  ...SYNC_SETTING_DEFAULTS,
  changesPollSeconds: CHANGE_FEED_POLL_DEFAULT_SECONDS,
});
