/**
 * The SOAP message Salesforce sends for an Outbound Message, and what its answer means.
 *
 * Shape (shared/reference/salesforce.md §9 and Salesforce's outbound messaging WSDL): a SOAP
 * 1.1 envelope whose body holds `notifications` in `http://soap.sforce.com/2005/09/outbound`
 * with OrganizationId, ActionId, SessionId (nil unless "Send Session ID" is ticked),
 * EnterpriseUrl, PartnerUrl and 1–100 Notification elements, each an Id (the notification's
 * own id, 04l…) and an `sObject xsi:type="sf:<Object>"` whose fields are in
 * `urn:sobject.enterprise.soap.sforce.com`. The endpoint must answer HTTP 200 with
 * `notificationsResponse/Ack = true` in the same namespace; anything else makes Salesforce
 * retry for 24 hours.
 *
 * UNCONFIRMED (modelled, could not be checked against a capture): fields whose value is null
 * are left out of the sObject (the enterprise WSDL makes every field optional); the
 * EnterpriseUrl and PartnerUrl end with the 15-character organization id.
 */
import { AppError } from '../../common/errors';
import { attributeOf, childElements, elementsOf, parseXml, textOf, XmlSyntaxError, type XmlElement } from './soap-xml';

export const OUTBOUND_NS = 'http://soap.sforce.com/2005/09/outbound';
export const SOAP_ENVELOPE_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const SOBJECT_NS = 'urn:sobject.enterprise.soap.sforce.com';
const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';

/** Salesforce puts at most 100 notifications in one message. */
export const MAX_NOTIFICATIONS = 100;

export type FieldValue = string | number | boolean | null;

export interface OutboundNotification {
  /** The notification's id (04l…): what a listener deduplicates on. */
  readonly id: string;
  /** The record: `Id` first, then the chosen fields. */
  readonly record: { readonly Id: string } & Readonly<Record<string, FieldValue>>;
}

export interface NotificationMessage {
  readonly organizationId: string;
  readonly actionId: string;
  readonly sessionId: string | null;
  readonly enterpriseUrl: string;
  readonly partnerUrl: string;
  readonly objectType: string;
  readonly notifications: readonly OutboundNotification[];
}

const API_NAME = /^[A-Za-z][A-Za-z0-9_]{0,79}$/;

/** XML text and attribute escaping; also refuses characters XML 1.0 cannot carry at all. */
export function escapeXml(value: string): string {
  // Control characters other than tab, newline and carriage return are not allowed in XML
  // 1.0, even escaped; Salesforce strips them, so a test message does the same.
  // eslint-disable-next-line no-control-regex
  const clean = value.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');
  return clean.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function fieldText(value: Exclude<FieldValue, null>): string {
  return typeof value === 'string' ? value : String(value);
}

/** The exact bytes Salesforce would POST. Throws INVALID_REQUEST for what Salesforce could never send. */
export function buildNotificationMessage(message: NotificationMessage): string {
  if (message.notifications.length < 1 || message.notifications.length > MAX_NOTIFICATIONS) {
    throw new AppError('INVALID_REQUEST', `An outbound message holds 1 to ${MAX_NOTIFICATIONS} notifications, not ${message.notifications.length}.`, {
      hint: 'Choose fewer records.',
    });
  }
  if (!API_NAME.test(message.objectType)) throw new AppError('INVALID_REQUEST', `“${message.objectType}” is not a Salesforce object name.`);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<soapenv:Envelope xmlns:soapenv="${SOAP_ENVELOPE_NS}" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="${XSI_NS}">`,
    ' <soapenv:Body>',
    `  <notifications xmlns="${OUTBOUND_NS}">`,
    `   <OrganizationId>${escapeXml(message.organizationId)}</OrganizationId>`,
    `   <ActionId>${escapeXml(message.actionId)}</ActionId>`,
    message.sessionId === null ? '   <SessionId xsi:nil="true"/>' : `   <SessionId>${escapeXml(message.sessionId)}</SessionId>`,
    `   <EnterpriseUrl>${escapeXml(message.enterpriseUrl)}</EnterpriseUrl>`,
    `   <PartnerUrl>${escapeXml(message.partnerUrl)}</PartnerUrl>`,
  ];
  for (const notification of message.notifications) {
    lines.push('   <Notification>', `    <Id>${escapeXml(notification.id)}</Id>`, `    <sObject xsi:type="sf:${message.objectType}" xmlns:sf="${SOBJECT_NS}">`);
    lines.push(`     <sf:Id>${escapeXml(notification.record.Id)}</sf:Id>`);
    for (const [field, value] of Object.entries(notification.record)) {
      if (field === 'Id' || value === null || value === undefined) continue;
      if (!API_NAME.test(field)) throw new AppError('INVALID_REQUEST', `“${field}” is not a Salesforce field name.`, { hint: 'Use API names such as FirstName or Member_Level__c.' });
      lines.push(`     <sf:${field}>${escapeXml(fieldText(value))}</sf:${field}>`);
    }
    lines.push('    </sObject>', '   </Notification>');
  }
  lines.push('  </notifications>', ' </soapenv:Body>', '</soapenv:Envelope>');
  return `${lines.join('\n')}\n`;
}

/** A message read back: what a listener would see (the tests' check that the bytes mean what we meant). */
export interface ParsedNotifications {
  readonly organizationId: string;
  readonly actionId: string;
  readonly sessionId: string | null;
  readonly enterpriseUrl: string;
  readonly partnerUrl: string;
  readonly notifications: readonly { id: string; objectType: string | null; fields: Readonly<Record<string, string>> }[];
}

export function parseNotificationMessage(xml: string): ParsedNotifications {
  const body = soapBody(parseXml(xml));
  const [notifications] = childElements(body, OUTBOUND_NS, 'notifications');
  if (notifications === undefined) throw new Error('no notifications element in the body');
  const one = (local: string) => {
    const [element] = childElements(notifications, OUTBOUND_NS, local);
    if (element === undefined) throw new Error(`no ${local}`);
    return element;
  };
  const session = one('SessionId');
  return {
    organizationId: textOf(one('OrganizationId')),
    actionId: textOf(one('ActionId')),
    sessionId: attributeOf(session, XSI_NS, 'nil') === 'true' ? null : textOf(session),
    enterpriseUrl: textOf(one('EnterpriseUrl')),
    partnerUrl: textOf(one('PartnerUrl')),
    notifications: childElements(notifications, OUTBOUND_NS, 'Notification').map((notification) => {
      const [id] = childElements(notification, OUTBOUND_NS, 'Id');
      const [sObject] = childElements(notification, OUTBOUND_NS, 'sObject');
      if (id === undefined || sObject === undefined) throw new Error('a Notification without Id or sObject');
      const type = attributeOf(sObject, XSI_NS, 'type');
      return {
        id: textOf(id),
        objectType: type === undefined ? null : type.replace(/^sf:/, ''),
        fields: Object.fromEntries(elementsOf(sObject).filter((field) => field.ns === SOBJECT_NS).map((field) => [field.local, textOf(field)])),
      };
    }),
  };
}

function soapBody(envelope: XmlElement): XmlElement {
  if (envelope.ns !== SOAP_ENVELOPE_NS || envelope.local !== 'Envelope') {
    throw new Error(envelope.local === 'Envelope' ? `a SOAP envelope in the namespace ${envelope.ns ?? '(none)'} instead of SOAP 1.1's` : `<${envelope.name}> instead of a SOAP envelope`);
  }
  const [body] = childElements(envelope, SOAP_ENVELOPE_NS, 'Body');
  if (body === undefined) throw new Error('a SOAP envelope without a Body');
  return body;
}

export type AckVerdict =
  | { readonly kind: 'ack' }
  | { readonly kind: 'nack'; readonly detail: string }
  | { readonly kind: 'fault'; readonly faultcode: string; readonly faultstring: string }
  | { readonly kind: 'not-soap'; readonly detail: string };

/** What an endpoint's answer body says, judged as Salesforce would: only Ack = true counts. */
export function readAcknowledgement(body: string, contentType: string | undefined): AckVerdict {
  if (body.trim() === '') return { kind: 'not-soap', detail: 'The answer was empty.' };
  let root: XmlElement;
  try {
    root = parseXml(body);
  } catch (error) {
    const looksHtml = /^\s*(<!doctype html|<html)/i.test(body) || /text\/html/i.test(contentType ?? '');
    const why = error instanceof XmlSyntaxError ? error.message : 'it is not XML';
    return { kind: 'not-soap', detail: looksHtml ? `The answer is a web page, not SOAP (${pageTitle(body) ?? 'no title'}).` : `The answer is not well-formed XML: ${why}.` };
  }
  let body_: XmlElement;
  try {
    body_ = soapBody(root);
  } catch (error) {
    return { kind: 'not-soap', detail: `The answer is XML but not a SOAP 1.1 message: ${(error as Error).message}.` };
  }
  const [fault] = childElements(body_, SOAP_ENVELOPE_NS, 'Fault');
  if (fault !== undefined) {
    // SOAP 1.1 fault children are unqualified.
    const part = (local: string) => {
      const [element] = childElements(fault, null, local);
      return element === undefined ? '' : textOf(element).trim();
    };
    return { kind: 'fault', faultcode: part('faultcode'), faultstring: part('faultstring') || '(no faultstring)' };
  }
  const [response] = childElements(body_, OUTBOUND_NS, 'notificationsResponse');
  if (response === undefined) {
    const first = elementsOf(body_)[0];
    const seen = first === undefined ? 'an empty Body' : `<${first.local}> in ${first.ns ?? 'no namespace'}`;
    return { kind: 'nack', detail: `The SOAP body holds ${seen}, not notificationsResponse in ${OUTBOUND_NS}.` };
  }
  const acks = childElements(response, OUTBOUND_NS, 'Ack');
  if (acks.length !== 1) return { kind: 'nack', detail: acks.length === 0 ? 'notificationsResponse has no Ack element.' : 'notificationsResponse has more than one Ack.' };
  const value = textOf(acks[0]!).trim();
  // xsd:boolean: "true" or "1".
  if (value === 'true' || value === '1') return { kind: 'ack' };
  return { kind: 'nack', detail: `Ack is “${value}”, not true.` };
}

function pageTitle(html: string): string | undefined {
  const match = /<title[^>]*>([^<]{0,200})<\/title>/i.exec(html);
  return match?.[1]?.trim();
}
