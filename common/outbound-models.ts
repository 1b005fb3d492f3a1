/**
 * The outbound-message tester (issue 15) as main and the renderer see it: a site's endpoint
 * for Salesforce Outbound Messages, the Salesforce setup steps, and the verdict of a test
 * delivery. Nothing here holds a secret: the endpoint's access key stays in the keychain and
 * every URL or raw exchange that crosses to the renderer has it (and any session id) masked.
 */

/**
 * What the WordPress-side connector does with a message, as its `wpf_action` parameter says:
 * `update` applies the contact's fields and tags to the user, `update_tags` only the tags,
 * `add` imports the contact as a new user (or updates the existing one).
 */
export type OutboundAction = 'update' | 'update_tags' | 'add';

export const OUTBOUND_ACTIONS: readonly OutboundAction[] = ['update', 'update_tags', 'add'];

/** A site's outbound-message settings, without the access key. */
export interface OutboundSettingsDto {
  readonly siteId: string;
  readonly siteName: string;
  /** The Salesforce object the site syncs (`sObject xsi:type="sf:<objectType>"`). */
  readonly objectType: string;
  readonly action: OutboundAction;
  /**
   * The endpoint as stored: null = the connector's default
   * (`<site>/?wpf_action=<action>&access_key={access_key}`); otherwise the admin's URL, where
   * `{access_key}` stands for the key kept in the keychain.
   */
  readonly customEndpoint: string | null;
  /** The URL a test message goes to, with the access key masked (`…` and its last four characters). */
  readonly endpointUrlMasked: string;
  /** Whether an access key is in the keychain (never the key itself). */
  readonly hasAccessKey: boolean;
  /** The Salesforce fields the Outbound Message sends (`Id` is always sent and not listed). */
  readonly fields: readonly string[];
  /** Fields the site's mapping pulls from Salesforce, and its tags field: what the message needs. */
  readonly suggestedFields: readonly string[];
  /** The steps to create the Outbound Message and the flow in Salesforce, with the exact values. */
  readonly setupSteps: readonly OutboundSetupStep[];
  /** Whether the site has a Salesforce connection to read real records through. */
  readonly canReadRecords: boolean;
  /** Whether the site has a WordPress application password, needed to check that the user changed. */
  readonly canCheckWordpress: boolean;
}

export interface OutboundSetupStep {
  readonly title: string;
  readonly detail: string;
  /** Exact values to type or select in Salesforce, label → value. */
  readonly values?: readonly { readonly label: string; readonly value: string }[];
}

/** A record the test can send: one of the site's object in Salesforce. */
export interface OutboundRecordChoice {
  readonly id: string;
  readonly name: string;
  readonly email: string | null;
}

export interface OutboundRecordListDto {
  readonly objectType: string;
  readonly records: readonly OutboundRecordChoice[];
}

/**
 * The test menu: one notification; several in one message (Salesforce batches up to 100);
 * the same message delivered twice; two deliveries for one record arriving newest first
 * (Salesforce delivers at least once and out of order).
 */
export type OutboundTestCase = 'single' | 'multi' | 'duplicate' | 'out-of-order';

export const OUTBOUND_TEST_CASES: readonly OutboundTestCase[] = ['single', 'multi', 'duplicate', 'out-of-order'];

export type OutboundStepId = 'endpoint' | 'dns' | 'tls' | 'http' | 'timing' | 'ack' | 'wordpress';

export type OutboundStepStatus = 'pass' | 'warning' | 'fail' | 'skipped';

export interface OutboundStep {
  readonly id: OutboundStepId;
  readonly label: string;
  readonly status: OutboundStepStatus;
  readonly message: string;
  /** What to do about it, when something needs doing. */
  readonly hint?: string;
  /** For steps about one delivery in a multi-delivery case: which one (1-based). */
  readonly delivery?: number;
}

/** One HTTP exchange exactly as sent and received, secrets masked, ready to copy. */
export interface OutboundExchange {
  readonly label: string;
  /** Request line, headers and body. */
  readonly request: string;
  /** Status line, headers and body (cut after 64 KB); null when no answer came. */
  readonly response: string | null;
  readonly durationMs: number | null;
}

export interface OutboundTestResult {
  readonly siteId: string;
  readonly testCase: OutboundTestCase;
  readonly action: OutboundAction;
  readonly endpointUrlMasked: string;
  readonly startedAt: string;
  /** The worst step: `pass` only when every step passed or was rightly skipped. */
  readonly verdict: 'pass' | 'warning' | 'fail';
  readonly summary: string;
  readonly steps: readonly OutboundStep[];
  readonly exchanges: readonly OutboundExchange[];
  /** How many notifications were sent in each delivery. */
  readonly notifications: number;
}
