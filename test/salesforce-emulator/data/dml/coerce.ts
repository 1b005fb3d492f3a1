/**
 * Turns a JSON or CSV value into the stored representation of a field's type.
 *
 * JSON bodies are deserialised by Salesforce before any record is looked at, so a wrong JSON
 * type fails the whole request with JSON_PARSER_ERROR. CSV (Bulk API) values are strings and a
 * bad one fails only its row, with INVALID_TYPE_ON_FIELD_IN_RECORD.
 */
import { formatDate, formatDateTime, parseDate, parseDateTime } from '../datetime';
import type { FieldDef } from '../schema/sobject-schema';

export type CoerceResult = { ok: true; value: unknown } | { ok: false; jsonType: string };

const TEXT = new Set(['string', 'textarea', 'email', 'phone', 'url', 'picklist', 'multipicklist', 'combobox', 'encryptedstring', 'id', 'reference', 'base64']);
const NUMBER = new Set(['double', 'currency', 'percent', 'int', 'long']);

function jsonKind(value: unknown): string {
  if (typeof value === 'string') return 'VALUE_STRING';
  if (typeof value === 'number') return Number.isInteger(value) ? 'VALUE_NUMBER_INT' : 'VALUE_NUMBER_FLOAT';
  if (typeof value === 'boolean') return value ? 'VALUE_TRUE' : 'VALUE_FALSE';
  if (Array.isArray(value)) return 'START_ARRAY';
  return 'START_OBJECT';
}

export function coerceJson(field: FieldDef, value: unknown): CoerceResult {
  if (value === null) return { ok: true, value: null };
  if (TEXT.has(field.type)) {
    if (typeof value === 'string') return { ok: true, value };
    if (typeof value === 'number' || typeof value === 'boolean') return { ok: true, value: String(value) };
    return { ok: false, jsonType: jsonKind(value) };
  }
  if (field.type === 'boolean') {
    if (typeof value === 'boolean') return { ok: true, value };
    if (typeof value === 'string' && /^(true|false)$/i.test(value)) return { ok: true, value: value.toLowerCase() === 'true' };
    return { ok: false, jsonType: jsonKind(value) };
  }
  if (NUMBER.has(field.type)) {
    const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
    if (!Number.isFinite(n)) return { ok: false, jsonType: jsonKind(value) };
    if ((field.type === 'int' || field.type === 'long') && !Number.isInteger(n)) return { ok: false, jsonType: jsonKind(value) };
    return { ok: true, value: n };
  }
  if (field.type === 'date') {
    if (typeof value !== 'string') return { ok: false, jsonType: jsonKind(value) };
    const ms = parseDate(value) ?? parseDateTime(value);
    return ms === undefined ? { ok: false, jsonType: jsonKind(value) } : { ok: true, value: formatDate(ms) };
  }
  if (field.type === 'datetime') {
    if (typeof value !== 'string') return { ok: false, jsonType: jsonKind(value) };
    const ms = parseDateTime(value) ?? parseDate(value);
    return ms === undefined ? { ok: false, jsonType: jsonKind(value) } : { ok: true, value: formatDateTime(ms) };
  }
  // address, location, time, anyType: passed through; address is read-only anyway.
  return { ok: true, value };
}

/** The Jackson-style message Salesforce's JSON deserialiser produces. */
export function jsonParserMessage(field: FieldDef, value: unknown, jsonType: string): string {
  const javaType: Record<string, string> = {
    boolean: 'boolean', double: 'double', currency: 'double', percent: 'double', int: 'int', long: 'long', date: 'date', datetime: 'datetime',
  };
  const shown = typeof value === 'string' ? value : JSON.stringify(value);
  return `Cannot deserialize instance of ${javaType[field.type] ?? 'string'} from ${jsonType} value ${shown} or request may be missing a required field`;
}

/**
 * A Bulk API CSV cell. Empty means "not provided" (undefined) and `#N/A` means null, as in
 * Salesforce's Bulk API.
 */
export function coerceCsv(field: FieldDef, text: string): { ok: true; value: unknown } | { ok: false } {
  if (text === '') return { ok: true, value: undefined };
  if (text === '#N/A') return { ok: true, value: null };
  if (field.type === 'boolean') {
    if (/^(true|1|yes)$/i.test(text)) return { ok: true, value: true };
    if (/^(false|0|no)$/i.test(text)) return { ok: true, value: false };
    return { ok: false };
  }
  const result = coerceJson(field, text);
  return result.ok ? result : { ok: false };
}
