/**
 * The Schematron compiler on tiny hand-written schemas: includes, abstract patterns with params,
 * abstract rules, lets at each level, first-rule-wins, phases, assert/report rendering — each
 * compiled to XSLT, run by saxon-js and read back through svrl.ts like ANAF's bundle is.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { loadStylesheet } from '../saxon.js';
import { readSvrl, type SvrlAssert } from '../svrl.js';
import { compileSchematron, mapReader } from './compile.js';
import { substituteParams } from './params.js';

const SCH = 'xmlns="http://purl.oclc.org/dsdl/schematron"';
const cache = mkdtempSync(path.join(tmpdir(), 'efact-sch-'));
afterAll(() => rmSync(cache, { recursive: true, force: true }));

function compile(files: Record<string, string>, phase?: string): string {
  const r = compileSchematron(mapReader(new Map(Object.entries(files))), 'main.sch', phase === undefined ? {} : { phase });
  return r.xslt!;
}

/** Compiles the schema, runs it on `xml`, returns the SVRL findings. */
function run(files: Record<string, string>, xml: string, phase?: string): SvrlAssert[] {
  const xslt = compile(files, phase);
  const file = path.join(cache, `${Math.random().toString(36).slice(2)}.xslt`);
  writeFileSync(file, xslt);
  return readSvrl(loadStylesheet(file, cache).transform(xml));
}

const ids = (r: SvrlAssert[]): string[] => r.map((a) => a.id);

describe('parameter substitution', () => {
  test('whole names only, string literals untouched', () => {
    const p = new Map([
      ['BR-1', 'a = 1'],
      ['BR-10', 'b = 10'],
      ['ctx', 'x:Item'],
    ]);
    expect(substituteParams('$BR-1 and $BR-10', p)).toBe('a = 1 and b = 10');
    expect(substituteParams("matches(., '^x$') and '$ctx' = $ctx", p)).toBe("matches(., '^x$') and '$ctx' = x:Item");
    expect(substituteParams('$other + $BR-100', p)).toBe('$other + $BR-100');
  });
});

describe('Schematron compiler', () => {
  test('abstract patterns: each is-a instance gets its params; includes put the included element in place', () => {
    const files = {
      'main.sch': `<schema ${SCH} queryBinding="xslt2">
        <ns prefix="x" uri="urn:x"/>
        <include href="abstract/model.sch"/>
        <include href="bound/one.sch"/>
        <include href="bound/two.sch"/>
      </schema>`,
      'abstract/model.sch': `<pattern ${SCH} abstract="true" id="model">
        <rule context="$Item"><assert test="$R-1" flag="fatal" id="R-1">[R-1] item</assert><assert test="$R-10" flag="warning" id="R-10">[R-10] ten</assert></rule>
      </pattern>`,
      'bound/one.sch': `<pattern ${SCH} is-a="model" id="one"><param name="Item" value="x:A"/><param name="R-1" value="@n = '1'"/><param name="R-10" value="true()"/></pattern>`,
      'bound/two.sch': `<pattern ${SCH} is-a="model" id="two"><param name="Item" value="x:B"/><param name="R-1" value="true()"/><param name="R-10" value="@n = '10'"/></pattern>`,
    };
    const r = run(files, '<r xmlns="urn:x"><A n="2"/><B n="2"/><A n="1"/></r>');
    expect(ids(r)).toEqual(['R-1', 'R-10']);
    expect(r.map((a) => [a.flag, a.rawLocation])).toEqual([
      ['fatal', "/*:r[namespace-uri()='urn:x'][1]/*:A[namespace-uri()='urn:x'][1]"],
      ['warning', "/*:r[namespace-uri()='urn:x'][1]/*:B[namespace-uri()='urn:x'][1]"],
    ]);
  });

  test('include by fragment id and extends of an abstract rule; hrefs leaving the bundle and cycles are refused', () => {
    const files = {
      'main.sch': `<schema ${SCH} queryBinding="xslt2">
        <pattern id="p">
          <include href="lib.sch#base"/>
          <rule context="a"><extends rule="base"/><report test="@r" id="R">report</report></rule>
        </pattern>
      </schema>`,
      'lib.sch': `<library ${SCH}><rule abstract="true" id="base"><assert test="@ok" id="BASE" flag="fatal">no ok</assert></rule><rule id="other" context="b"/></library>`,
    };
    expect(ids(run(files, '<root><a/><a ok="1" r="1"/></root>'))).toEqual(['BASE', 'R']);
    expect(() => compile({ 'main.sch': `<schema ${SCH}><include href="../x.sch"/></schema>` })).toThrow(/outside the bundle/);
    expect(() => compile({ 'main.sch': `<schema ${SCH}><include href="a.sch"/></schema>`, 'a.sch': `<pattern ${SCH}><include href="a.sch"/></pattern>` })).toThrow(/cycle/);
    expect(() => compile({ 'main.sch': `<schema ${SCH}><include href="missing.sch"/></schema>` })).toThrow(/cannot find 'missing.sch'/);
  });

  test('lets: schema and pattern lets are global, rule lets see the context; all usable in tests and messages', () => {
    const files = {
      'main.sch': `<schema ${SCH} queryBinding="xslt2">
        <let name="limit" value="3"/>
        <pattern id="p">
          <let name="unit" value="'kg'"/>
          <rule context="w">
            <let name="v" value="number(.)"/>
            <assert test="$v le $limit" id="W" flag="fatal">[W] <name/> is <value-of select="$v"/> <value-of select="$unit"/>, over <value-of select="$limit"/></assert>
          </rule>
        </pattern>
      </schema>`,
    };
    const r = run(files, '<root><w>2</w><w>5</w></root>');
    expect(r).toEqual([{ id: 'W', flag: 'fatal', text: '[W] w is 5 kg, over 3', rawLocation: '/root[1]/w[2]' }]);
  });

  test('first matching rule of a pattern wins; another pattern still sees the node', () => {
    const files = {
      'main.sch': `<schema ${SCH} queryBinding="xslt2">
        <pattern id="p1">
          <rule context="line"><assert test="false()" id="FIRST">first</assert></rule>
          <rule context="line | other"><assert test="false()" id="SHADOWED">never for a line</assert></rule>
        </pattern>
        <pattern id="p2">
          <rule context="line"><assert test="false()" id="P2">second pattern</assert></rule>
        </pattern>
      </schema>`,
    };
    expect(ids(run(files, '<root><line/><other/></root>')).sort()).toEqual(['FIRST', 'P2', 'SHADOWED']);
    expect(run(files, '<root><line/><other/></root>').find((a) => a.id === 'SHADOWED')?.rawLocation).toBe('/root[1]/other[1]');
  });

  test('phases: #ALL by default, a named phase runs its patterns only; attribute contexts locate the attribute', () => {
    const files = {
      'main.sch': `<schema ${SCH} queryBinding="xslt2">
        <phase id="codes"><active pattern="c"/></phase>
        <pattern id="c"><rule context="@currency"><assert test=". = 'RON'" id="C" flag="fatal">currency <value-of select="."/></assert></rule></pattern>
        <pattern id="d"><rule context="root"><report test="true()" id="D" flag="warning">always</report></rule></pattern>
      </schema>`,
    };
    const xml = '<root><amt currency="EUR"/></root>';
    expect(ids(run(files, xml))).toEqual(['C', 'D']);
    const coded = run(files, xml, 'codes');
    expect(coded).toEqual([{ id: 'C', flag: 'fatal', text: 'currency EUR', rawLocation: '/root[1]/amt[1]/@currency' }]);
    expect(() => compile(files, 'nope')).toThrow(/no phase 'nope'/);
  });

  test('xsl:function at schema level and a phase let are carried', () => {
    const files = {
      'main.sch': `<schema ${SCH} xmlns:xsl="http://www.w3.org/1999/XSL/Transform" queryBinding="xslt2">
        <ns prefix="f" uri="urn:f"/>
        <xsl:function name="f:twice" as="xs:integer"><xsl:param name="n" as="xs:integer"/><xsl:sequence select="$n * 2"/></xsl:function>
        <phase id="strict"><let name="max" value="4"/><active pattern="p"/></phase>
        <pattern id="p"><rule context="n"><assert test="f:twice(xs:integer(.)) le $max" id="N" flag="fatal">too big: <value-of select="f:twice(xs:integer(.))"/></assert></rule></pattern>
      </schema>`,
    };
    expect(run(files, '<r><n>1</n><n>3</n></r>', 'strict')).toEqual([{ id: 'N', flag: 'fatal', text: 'too big: 6', rawLocation: '/r[1]/n[2]' }]);
  });

  test('constructs it does not carry are refused by name', () => {
    expect(() => compile({ 'main.sch': `<schema ${SCH} queryBinding="exslt"/>` })).toThrow(/queryBinding 'exslt'/);
    expect(() => compile({ 'main.sch': `<schema ${SCH}><pattern is-a="none"/></schema>` })).toThrow(/no abstract pattern/);
    expect(() => compile({ 'main.sch': `<schema ${SCH}><pattern><rule context="a"><assert test="1">x<foo/></assert></rule></pattern></schema>` })).toThrow(/<foo> inside a message/);
    expect(() => compile({ 'main.sch': '<?xml version="1.0"?><!DOCTYPE schema [<!ENTITY e "x">]><schema/>' })).toThrow(/DOCTYPE/);
  });
});
