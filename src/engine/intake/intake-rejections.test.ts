import { describe, expect, it } from 'vitest';
import { IntakeRejections, type IntakeRejection } from './intake-rejections.js';

const at = (s: number): Date => new Date(Date.UTC(2026, 10, 5, 9, 0, s));

function rejection(file: string, seconds: number, companyCif = '8000000000'): IntakeRejection {
  return { companyCif, file, code: 'EFACT_ERR_INVALID_XML', message: `${file} is broken`, at: at(seconds) };
}

describe('IntakeRejections', () => {
  it('lists newest first, per company or all', () => {
    const r = new IntakeRejections();
    r.record(rejection('a.xml', 1));
    r.record(rejection('b.xml', 2));
    r.record(rejection('c.xml', 3, '8609468'));
    expect(r.list('8000000000').map((x) => x.file)).toEqual(['b.xml', 'a.xml']);
    expect(r.list('8609468').map((x) => x.file)).toEqual(['c.xml']);
    expect(r.list().map((x) => x.file)).toEqual(['c.xml', 'b.xml', 'a.xml']);
    expect(r.list('1234567')).toEqual([]);
    expect(r.count()).toBe(3);
  });

  it('accepts the CIF with or without RO', () => {
    const r = new IntakeRejections();
    r.record(rejection('a.xml', 1, 'RO8000000000'));
    expect(r.list('8000000000')).toMatchObject([{ companyCif: '8000000000', file: 'a.xml' }]);
    expect(r.list('ro 8000000000')).toHaveLength(1);
  });

  it('keeps one entry per file: the latest problem', () => {
    const r = new IntakeRejections();
    r.record(rejection('a.xml', 1));
    r.record(rejection('b.xml', 2));
    r.record({ ...rejection('a.xml', 3), code: 'EFACT_ERR_WRONG_SUPPLIER' });
    expect(r.list().map((x) => [x.file, x.code])).toEqual([
      ['a.xml', 'EFACT_ERR_WRONG_SUPPLIER'],
      ['b.xml', 'EFACT_ERR_INVALID_XML'],
    ]);
  });

  it('keeps only the last 200 per company', () => {
    const r = new IntakeRejections();
    for (let i = 0; i < 250; i++) r.record(rejection(`f${i}.xml`, i));
    r.record(rejection('other.xml', 1, '8609468'));
    const list = r.list('8000000000');
    expect(list).toHaveLength(200);
    expect(list[0]!.file).toBe('f249.xml');
    expect(list.at(-1)!.file).toBe('f50.xml');
    expect(r.count('8609468')).toBe(1);
  });

  it('honours a smaller bound and refuses a nonsensical one', () => {
    const r = new IntakeRejections(2);
    for (let i = 0; i < 5; i++) r.record(rejection(`f${i}.xml`, i));
    expect(r.list().map((x) => x.file)).toEqual(['f4.xml', 'f3.xml']);
    expect(() => new IntakeRejections(0)).toThrow(RangeError);
  });

  it('forgets a resolved file', () => {
    const r = new IntakeRejections();
    r.record(rejection('a.xml', 1));
    expect(r.resolve('RO8000000000', 'a.xml')).toBe(true);
    expect(r.resolve('8000000000', 'a.xml')).toBe(false);
    expect(r.list()).toEqual([]);
  });

  it('hands out copies, so callers cannot change the record', () => {
    const r = new IntakeRejections();
    r.record(rejection('a.xml', 1));
    const [first] = r.list();
    first!.message = 'changed';
    first!.at.setTime(0);
    expect(r.list()[0]).toMatchObject({ message: 'a.xml is broken', at: at(1) });
  });
});
