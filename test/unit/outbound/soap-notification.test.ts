import { describe, expect, it } from 'vitest';
import { AppError } from '../../../common/errors';
import { buildNotificationMessage, escapeXml, parseNotificationMessage, readAcknowledgement, type NotificationMessage } from '../../../main/outbound/soap-notification';

const base: NotificationMessage = {
  organizationId: '00D5g000004ABCDEAA',
  actionId: '04k5g000000XYZ1AAA',
  sessionId: null,
  enterpriseUrl: 'https://acme.my.salesforce.com/services/Soap/c/66.0/00D5g000004ABCD',
  partnerUrl: 'https://acme.my.salesforce.com/services/Soap/u/66.0/00D5g000004ABCD',
  objectType: 'Contact',
  notifications: [{ id: '04l5g00000ABCDEAAA', record: { Id: '0035g00000AAAAAAAA', Email: 'ann@example.org', FirstName: 'Ann', Member_Level__c: null } }],
};

const ACK =
  '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>true</Ack></notificationsResponse></soapenv:Body></soapenv:Envelope>';

describe('buildNotificationMessage', () => {
  it('is the outbound messaging WSDL shape: namespace, header elements, nil session, sObject of the type with sf: fields', () => {
    const xml = buildNotificationMessage(base);
    expect(xml).toContain('<notifications xmlns="http://soap.sforce.com/2005/09/outbound">');
    expect(xml).toContain('<SessionId xsi:nil="true"/>');
    expect(xml).toContain('<sObject xsi:type="sf:Contact" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">');
    const parsed = parseNotificationMessage(xml);
    expect(parsed).toEqual({
      organizationId: base.organizationId,
      actionId: base.actionId,
      sessionId: null,
      enterpriseUrl: base.enterpriseUrl,
      partnerUrl: base.partnerUrl,
      // null fields are left out, Id comes first
      notifications: [{ id: '04l5g00000ABCDEAAA', objectType: 'Contact', fields: { Id: '0035g00000AAAAAAAA', Email: 'ann@example.org', FirstName: 'Ann' } }],
    });
  });

  it('escapes every value so that it reads back exactly, and drops characters XML cannot carry', () => {
    const nasty = `O'Brien & <Sons> "quoted" ]]> \u0001bell`;
    const xml = buildNotificationMessage({ ...base, sessionId: 'a<b&c', notifications: [{ id: '04l1', record: { Id: '003x', LastName: nasty, Active__c: true, Score__c: 4.5 } }] });
    const parsed = parseNotificationMessage(xml);
    expect(parsed.sessionId).toBe('a<b&c');
    expect(parsed.notifications[0]!.fields).toEqual({ Id: '003x', LastName: `O'Brien & <Sons> "quoted" ]]> bell`, Active__c: 'true', Score__c: '4.5' });
    expect(escapeXml('<&>"\'')).toBe('&lt;&amp;&gt;&quot;&apos;');
  });

  it('holds 1 to 100 notifications, and refuses names that are not API names', () => {
    const many = Array.from({ length: 100 }, (_, i) => ({ id: `04l${i}`, record: { Id: `003${i}` } }));
    expect(parseNotificationMessage(buildNotificationMessage({ ...base, notifications: many })).notifications).toHaveLength(100);
    expect(() => buildNotificationMessage({ ...base, notifications: [...many, many[0]!] })).toThrow(AppError);
    expect(() => buildNotificationMessage({ ...base, notifications: [] })).toThrow(/1 to 100/);
    expect(() => buildNotificationMessage({ ...base, notifications: [{ id: '04l', record: { Id: '003', 'x><y': 'v' } }] })).toThrow(/field name/);
    expect(() => buildNotificationMessage({ ...base, objectType: 'Contact"><x' })).toThrow(/object name/);
  });
});

describe('readAcknowledgement', () => {
  it('accepts Ack true (and xsd:boolean 1) in the outbound namespace, with any prefixes', () => {
    expect(readAcknowledgement(ACK, 'text/xml')).toEqual({ kind: 'ack' });
    expect(readAcknowledgement(ACK.replace('<Ack>true', '<Ack> 1 '), 'text/xml')).toEqual({ kind: 'ack' });
    const prefixed = '<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body><o:notificationsResponse xmlns:o="http://soap.sforce.com/2005/09/outbound"><o:Ack>true</o:Ack></o:notificationsResponse></S:Body></S:Envelope>';
    expect(readAcknowledgement(prefixed, undefined)).toEqual({ kind: 'ack' });
  });

  it('does not take Ack false, an Ack in another namespace or in a comment, or SOAP 1.2', () => {
    expect(readAcknowledgement(ACK.replace('<Ack>true', '<Ack>false'), 'text/xml')).toMatchObject({ kind: 'nack', detail: expect.stringContaining('“false”') });
    expect(readAcknowledgement(ACK.replace('xmlns="http://soap.sforce.com/2005/09/outbound"', 'xmlns="urn:other"'), 'text/xml')).toMatchObject({ kind: 'nack' });
    const commented = ACK.replace('<Ack>true</Ack>', '<!-- <Ack>true</Ack> -->');
    expect(readAcknowledgement(commented, 'text/xml')).toMatchObject({ kind: 'nack', detail: 'notificationsResponse has no Ack element.' });
    expect(readAcknowledgement(ACK.replace('http://schemas.xmlsoap.org/soap/envelope/', 'http://www.w3.org/2003/05/soap-envelope'), 'text/xml')).toMatchObject({ kind: 'not-soap' });
  });

  it('reads a SOAP fault’s faultcode and faultstring', () => {
    const fault =
      '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><soapenv:Fault><faultcode>soapenv:Server</faultcode><faultstring>No user &amp; no contact</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>';
    expect(readAcknowledgement(fault, 'text/xml')).toEqual({ kind: 'fault', faultcode: 'soapenv:Server', faultstring: 'No user & no contact' });
  });

  it('says when the answer is a web page, empty or broken XML', () => {
    expect(readAcknowledgement('<!doctype html><html><head><title>Just a moment...</title></head></html>', 'text/html')).toEqual({ kind: 'not-soap', detail: 'The answer is a web page, not SOAP (Just a moment...).' });
    expect(readAcknowledgement('', 'text/xml')).toEqual({ kind: 'not-soap', detail: 'The answer was empty.' });
    expect(readAcknowledgement('<a><b></a>', 'text/xml')).toMatchObject({ kind: 'not-soap', detail: expect.stringContaining('not well-formed') });
    expect(readAcknowledgement('OK', 'text/plain')).toMatchObject({ kind: 'not-soap' });
  });
});
