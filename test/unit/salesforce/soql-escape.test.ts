import { describe, expect, it } from 'vitest';
import { escapeSoqlString, soqlInList, soqlQuote } from '../../../main/salesforce/soql-escape';

describe('SOQL string literals', () => {
  it("escapes a quote so O'Brien cannot end the literal", () => {
    expect(soqlQuote("O'Brien")).toBe("'O\\'Brien'");
  });

  it('escapes the backslash before the quote, so \\\' cannot smuggle a quote through', () => {
    expect(escapeSoqlString("a\\' OR Name != '")).toBe("a\\\\\\' OR Name != \\'");
  });

  it('escapes line breaks and tabs', () => {
    expect(escapeSoqlString('a\nb\tc\r')).toBe('a\\nb\\tc\\r');
  });

  it('builds IN lists and refuses an empty one', () => {
    expect(soqlInList(['ForceSites', "WP's"])).toBe("('ForceSites', 'WP\\'s')");
    expect(() => soqlInList([])).toThrow(RangeError);
  });
});
