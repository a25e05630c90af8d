import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../adapters/clock/manual-clock.js';
import { fromBucharest } from '../../adapters/anaf/time.js';
import { rootStartTag } from './document.js';
import { drawFaults } from './faults.js';
import { boundaryOf, parseMultipart } from './multipart.js';
import { QuotaBook, DEFAULT_QUOTAS } from './quotas.js';
import { seededRng } from './rng.js';
import { sha256Base64, SandboxSigner } from './signature.js';

describe('multipart', () => {
  it('reads file fields without mistaking filename= for name=', () => {
    const body = Buffer.from(
      '--XyZ\r\nContent-Disposition: form-data; filename="a.xml"; name="file"\r\nContent-Type: text/xml\r\n\r\n<a/>\r\n' +
        '--XyZ\r\nContent-Disposition: form-data; name="signature"\r\n\r\n<s/>\r\n--XyZ--\r\n',
    );
    expect(boundaryOf('multipart/form-data; boundary=XyZ')).toBe('XyZ');
    const parts = parseMultipart(body, 'XyZ');
    expect(parts.map((p) => [p.name, p.filename, p.data.toString()])).toEqual([
      ['file', 'a.xml', '<a/>'],
      ['signature', undefined, '<s/>'],
    ]);
  });
});

describe('signature', () => {
  it('verifies its own signatures and refuses changed bytes or SignedInfo', () => {
    const signer = new SandboxSigner();
    const content = new TextEncoder().encode('<Invoice>1</Invoice>');
    const sig = signer.sign('1.xml', content);
    const bytes = new TextEncoder().encode(sig);
    expect(signer.verify(content, bytes)).toBe('valid');
    expect(signer.verify(new TextEncoder().encode('<Invoice>2</Invoice>'), bytes)).toBe('invalid');
    const otherDigest = Buffer.from('<Invoice>2</Invoice>');
    const forged = sig.replace(/<DigestValue>[^<]+</, `<DigestValue>${sha256Base64(otherDigest)}<`);
    expect(signer.verify(otherDigest, new TextEncoder().encode(forged))).toBe('invalid');
    expect(signer.verify(content, new TextEncoder().encode('<x/>'))).toBe('not-a-signature');
  });
});

describe('rootStartTag', () => {
  it('finds the root after declaration and comments, with Xerces-style end position', () => {
    const text = '<?xml version="1.0"?>\n<!-- a > b -->\n<ubl:Invoice1 a="x>y">\n</ubl:Invoice1>';
    expect(rootStartTag(text)).toEqual({ qname: 'ubl:Invoice1', end: { line: 3, column: 23 } });
    expect(rootStartTag('<!-- never closed')).toBeNull();
  });
});

describe('quotas', () => {
  it('reset at Bucharest midnight, not UTC midnight', () => {
    const clock = new ManualClock(fromBucharest(2026, 3, 10, 23, 30));
    const book = new QuotaBook({ ...DEFAULT_QUOTAS, download: 1 }, clock);
    expect(book.take('download', 'test', '1')).toBe(true);
    expect(book.take('download', 'test', '1')).toBe(false);
    clock.set(fromBucharest(2026, 3, 11, 0, 0));
    expect(book.take('download', 'test', '1')).toBe(true);
  });
});

describe('faults', () => {
  it('draws nothing when all rates are zero and honours per-endpoint overrides', () => {
    const rng = seededRng(7);
    expect(drawFaults({}, 'upload', rng)).toEqual({ latencyMs: 0, action: null });
    expect(drawFaults({ errorRate: 1, endpoints: { upload: { errorRate: 0 } } }, 'upload', rng).action).toBeNull();
    expect(drawFaults({ errorRate: 1, endpoints: { upload: { errorRate: 0 } } }, 'stareMesaj', rng).action).toBe('error');
  });
});
