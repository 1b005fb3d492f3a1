/**
 * Small HTTP helpers shared by every route. Bodies are size-capped so a bad client cannot
 * exhaust memory, and every error path produces a Salesforce-shaped body rather than a stack.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** 64 MB: above Bulk 2.0's 150 MB-per-job only in spirit, but plenty for the app's batches. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

export class BodyTooLargeError extends Error {}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLargeError('request body too large');
    chunks.push(buf);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json;charset=UTF-8', ...headers });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, body: string, contentType: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': contentType, ...headers });
  res.end(body);
}

export function sendEmpty(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  res.writeHead(status, headers);
  res.end();
}

/** The REST API's error body: always an array, `errorCode` not `statusCode`. */
export function restError(errorCode: string, message: string, fields?: string[]): unknown[] {
  return [fields ? { message, errorCode, fields } : { message, errorCode }];
}

export const NOT_FOUND_BODY = restError('NOT_FOUND', 'The requested resource does not exist');

/** Form bodies (token, revoke, login). Tolerates a charset suffix and junk without throwing. */
export function parseForm(body: Buffer): URLSearchParams {
  try {
    return new URLSearchParams(body.toString('utf8'));
  } catch {
    return new URLSearchParams();
  }
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

export function escapeXml(text: string): string {
  return escapeHtml(text).replace(/&#39;/g, '&apos;');
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return out;
}

/** Bearer token from `Authorization: Bearer x` (or the older `OAuth x` Salesforce also takes). */
export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const match = /^(?:Bearer|OAuth)\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}
