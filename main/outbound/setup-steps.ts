/**
 * The Salesforce setup a site's endpoint needs, written out with the exact values: the
 * Outbound Message (object, endpoint URL, fields) and the record-triggered flow that sends
 * it. Workflow rules are retired for new automation, so the steps use Flow Builder's
 * "Outbound Message" action. Menu names follow Salesforce Setup as documented; where a label
 * may read differently in an org, the step says what to look for.
 */
import type { OutboundAction, OutboundSetupStep } from '../../common/outbound-models';

export interface SetupInput {
  readonly siteName: string;
  readonly objectType: string;
  readonly action: OutboundAction;
  readonly endpointUrlMasked: string;
  readonly hasAccessKey: boolean;
  readonly fields: readonly string[];
  readonly tagField: string | null;
}

const ACTION_WORDS: Readonly<Record<OutboundAction, string>> = {
  update: 'updates the WordPress user’s fields and tags',
  update_tags: 'updates the WordPress user’s tags',
  add: 'imports the record as a new WordPress user (or updates the existing one)',
};

export function outboundSetupSteps(input: SetupInput): OutboundSetupStep[] {
  const name = `ForceSites ${input.siteName} ${input.action}`.replace(/[^A-Za-z0-9 ]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 80);
  const fields = ['Id', ...input.fields.filter((field) => field !== 'Id')];
  const trigger =
    input.action === 'add'
      ? 'A record is created'
      : 'A record is created or updated';
  const condition =
    input.action === 'update_tags' && input.tagField !== null
      ? `Formula evaluates to true: ISCHANGED({!$Record.${input.tagField}})`
      : input.action === 'add'
        ? 'None (every new record), or your own, e.g. a checkbox “Create WordPress user”'
        : `Formula evaluates to true: ${fields
            .filter((field) => field !== 'Id')
            .slice(0, 6)
            .map((field) => `ISCHANGED({!$Record.${field}})`)
            .join(' || ') || 'ISCHANGED({!$Record.LastModifiedDate})'}`;
  return [
    {
      title: 'Create the Outbound Message',
      detail: `In Salesforce Setup, type “Outbound Messages” in Quick Find, open it and click New Outbound Message. Choose the object, then fill in the page with these values. The message ${ACTION_WORDS[input.action]}.`,
      values: [
        { label: 'Object', value: input.objectType },
        { label: 'Name', value: name },
        {
          label: 'Endpoint URL',
          value: input.endpointUrlMasked,
        },
        { label: 'User to send as', value: 'An integration user who can read these records and fields' },
        { label: 'Send Session ID', value: 'Leave unticked (the connector does not need it)' },
        { label: `${input.objectType} fields to send`, value: fields.join(', ') },
      ],
    },
    {
      title: 'Put your access key in the URL',
      detail: input.hasAccessKey
        ? 'ForceSites shows the key masked (… and its last four characters). In the Endpoint URL, replace it with the whole access key from the WordPress connector’s settings — the same key you saved here.'
        : 'In the Endpoint URL, replace YOUR_ACCESS_KEY with the access key from the WordPress connector’s settings, and save the key here too so ForceSites can send test messages.',
    },
    {
      title: 'Create the flow that sends it',
      detail: 'In Setup, open Flows and click New Flow, choose Record-Triggered Flow, and set it up as below. Add an Action element, pick the Outbound Message type, and choose the message from the first step. Save and activate the flow.',
      values: [
        { label: 'Object', value: input.objectType },
        { label: 'Trigger the flow when', value: trigger },
        { label: 'Entry conditions', value: condition },
        { label: 'When to run the flow for updated records', value: 'Every time a record is updated and meets the condition requirements' },
        { label: 'Optimize the flow for', value: 'Actions and Related Records' },
        { label: 'Action', value: `Outbound Message: ${name}` },
      ],
    },
    {
      title: 'Test it before it matters',
      detail:
        'Use Send test message below: it posts the same SOAP message Salesforce will, and checks the answer and the WordPress user. After changing a real record, Setup » Outbound Messages » View Message Delivery Status lists any message Salesforce is still retrying, with its last error.',
    },
  ];
}
