import { describe, expect, it } from 'vitest';
import { attributeOf, childElements, parseXml, textOf, XmlSyntaxError } from '../../../main/outbound/soap-xml';

describe('parseXml', () => {
  it('resolves default and prefixed namespaces, attributes without a prefix have none', () => {
    const root = parseXml('<?xml version="1.0"?><a:root xmlns:a="urn:a" xmlns="urn:d" x="1" a:y="2"><child>t</child><a:c/></a:root>');
    expect(root).toMatchObject({ local: 'root', ns: 'urn:a' });
    expect(attributeOf(root, null, 'x')).toBe('1');
    expect(attributeOf(root, 'urn:a', 'y')).toBe('2');
    expect(childElements(root, 'urn:d', 'child').map(textOf)).toEqual(['t']);
    expect(childElements(root, 'urn:a', 'c')).toHaveLength(1);
  });

  it('decodes the predefined and numeric references, CDATA and joins text', () => {
    const root = parseXml('<r>&lt;a&gt; &amp; &quot;&apos; &#233;&#x1F600;<![CDATA[<raw & text>]]> end<!-- no --></r>');
    expect(textOf(root)).toBe('<a> & "\' é😀<raw & text> end');
  });

  it('undeclares the default namespace with xmlns=""', () => {
    const root = parseXml('<r xmlns="urn:x"><inner xmlns=""><leaf/></inner></r>');
    const [inner] = childElements(root, null, 'inner');
    expect(inner).toBeDefined();
    expect(childElements(inner!, null, 'leaf')).toHaveLength(1);
  });

  it.each([
    ['<!DOCTYPE r [<!ENTITY x "y">]><r>&x;</r>', /DOCTYPE/],
    ['<r>&nbsp;</r>', /entity &nbsp;/],
    ['<r><a></r>', /closes <a>/],
    ['<r></r><r></r>', /second root/],
    ['text<r/>', /outside the root/],
    ['<p:r/>', /prefix p/],
    ['<r a="1" a="2"/>', /appears twice/],
    ['<r a=1/>', /quoted value/],
    ['<r>& x</r>', /character reference/],
    ['<r>&#xD800;</r>', /no character/],
    ['<r>', /never closed/],
    ['', /no root/],
    ['<r><!-- open', /unclosed comment/],
  ])('refuses %j', (xml, message) => {
    expect(() => parseXml(xml)).toThrow(XmlSyntaxError);
    expect(() => parseXml(xml)).toThrow(message);
  });
});
