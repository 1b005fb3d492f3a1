/**
 * A local HTTP or HTTPS server that answers outbound messages in the ways a real endpoint
 * can: the acknowledgement, Ack false, a SOAP fault, a PHP-style 500 page, a redirect, a
 * refused key, a slow answer, or none at all. It records what it received, so tests can
 * assert that nothing was sent when the tester must not send.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { KeyPair } from './test-certificates';

export const ACK_BODY =
  '<?xml version="1.0" encoding="UTF-8"?>\n<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>true</Ack></notificationsResponse></soapenv:Body></soapenv:Envelope>';

export type EndpointBehaviour = 'ack' | 'ack-false' | 'fault' | 'html-500' | 'redirect' | 'wrong-key' | 'silent' | { readonly slowMs: number };

export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

export interface SoapEndpointServer {
  readonly url: string;
  readonly port: number;
  readonly received: ReceivedRequest[];
  behaviour: EndpointBehaviour;
  close(): Promise<void>;
}

export async function startSoapEndpoint(options: { tls?: KeyPair; behaviour?: EndpointBehaviour; accessKey?: string } = {}): Promise<SoapEndpointServer> {
  const received: ReceivedRequest[] = [];
  const state = { behaviour: options.behaviour ?? ('ack' as EndpointBehaviour) };
  const open = new Set<ServerResponse>();
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const key = new URL(req.url ?? '/', 'http://x').searchParams.get('access_key');
      const behaviour = options.accessKey !== undefined && key !== options.accessKey ? 'wrong-key' : state.behaviour;
      const xml = (status: number, text: string) => {
        res.writeHead(status, { 'Content-Type': 'text/xml; charset=utf-8' });
        res.end(text);
      };
      if (typeof behaviour === 'object') {
        setTimeout(() => xml(200, ACK_BODY), behaviour.slowMs);
        return;
      }
      switch (behaviour) {
        case 'ack':
          return xml(200, ACK_BODY);
        case 'ack-false':
          return xml(200, ACK_BODY.replace('<Ack>true', '<Ack>false'));
        case 'fault':
          return xml(
            500,
            '<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><soapenv:Fault><faultcode>soapenv:Server</faultcode><faultstring>Contact not found in WordPress</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>',
          );
        case 'html-500':
          res.writeHead(500, { 'Content-Type': 'text/html; charset=UTF-8' });
          return res.end('<!DOCTYPE html><html><head><title>WordPress &rsaquo; Error</title></head><body><p>There has been a critical error on this website.</p></body></html>');
        case 'redirect':
          res.writeHead(301, { Location: 'https://www.example.org/?wpf_action=update' });
          return res.end();
        case 'wrong-key':
          res.writeHead(403, { 'Content-Type': 'text/html' });
          return res.end('<html><head><title>Invalid access key</title></head><body>Invalid access key</body></html>');
        case 'silent':
          open.add(res);
          return;
      }
    });
  };
  const server = options.tls ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, handler) : http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    received,
    get behaviour() {
      return state.behaviour;
    },
    set behaviour(value) {
      state.behaviour = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of open) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
