/**
 * A Salesforce request whose answer is text (Bulk 2.0's CSV) and whose headers matter
 * (`Sforce-Locator`, `Sforce-NumberOfRecords`). jsforce's `Connection.request` parses bodies
 * and hides headers, so this goes through jsforce's own HttpApi: the same transport (with
 * ForceSites' deadline and call meter) and the same refresh delegate as every other call.
 */
import type { Connection } from 'jsforce';
import { HttpApi } from 'jsforce/lib/http-api.js';
import type { SalesforceRequest } from './salesforce-api';

export interface TextResponse {
  readonly body: string;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>;
}

export type RequestText = (request: SalesforceRequest) => Promise<TextResponse>;

/** The text-request port for a jsforce Connection. */
export function textRequestsOf(connection: Connection): RequestText {
  return async (request) => {
    let headers: Record<string, string> = {};
    const api = new HttpApi(connection, { responseType: 'text/plain' });
    api.on('response', (response: { headers?: Record<string, string> }) => {
      headers = Object.fromEntries(Object.entries(response.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
    });
    const body = await api.request<unknown>({ method: request.method, url: absoluteUrl(connection, request.url), headers: request.headers ?? {}, ...(request.body === undefined ? {} : { body: request.body }) });
    return { body: typeof body === 'string' ? body : body === undefined ? '' : JSON.stringify(body), headers };
  };
}

/** Same resolution as the JSON port: `/services/…` against the instance, other paths against the REST base. */
export function absoluteUrl(connection: Pick<Connection, 'instanceUrl' | 'version'>, path: string): string {
  if (/^https?:\/\//.test(path)) return path;
  const base = connection.instanceUrl.replace(/\/+$/, '');
  return path.startsWith('/services/') ? `${base}${path}` : `${base}/services/data/v${connection.version}${path.startsWith('/') ? '' : '/'}${path}`;
}
