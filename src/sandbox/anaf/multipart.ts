/**
 * A minimal multipart/form-data reader for the signature check (two file fields), so the
 * sandbox needs no extra dependency. Bounded by the request body limit; parts are sliced
 * from the buffer, never decoded unless asked.
 */
export interface FormPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

export function boundaryOf(contentType: string | undefined): string | null {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  return m ? (m[1] ?? m[2] ?? null) : null;
}

function headerParam(header: string, param: string): string | undefined {
  // The leading separator keeps `name=` from matching inside `filename=`.
  const m =
    new RegExp(`(?:^|[;\\s])${param}="([^"]*)"`, 'i').exec(header) ??
    new RegExp(`(?:^|[;\\s])${param}=([^;\\s]+)`, 'i').exec(header);
  return m?.[1];
}

/** The parts of a multipart body; an unreadable body gives an empty list. */
export function parseMultipart(body: Buffer, boundary: string): FormPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: FormPart[] = [];
  let start = body.indexOf(delimiter);
  while (start >= 0) {
    let partStart = start + delimiter.length;
    // "--" right after a delimiter closes the body.
    if (body[partStart] === 0x2d && body[partStart + 1] === 0x2d) break;
    if (body[partStart] === 0x0d && body[partStart + 1] === 0x0a) partStart += 2;
    const next = body.indexOf(delimiter, partStart);
    if (next < 0) break;
    const part = body.subarray(partStart, next);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd >= 0) {
      const headers = part.subarray(0, headerEnd).toString('utf8');
      let data = part.subarray(headerEnd + 4);
      if (data.length >= 2 && data[data.length - 2] === 0x0d && data[data.length - 1] === 0x0a) {
        data = data.subarray(0, data.length - 2);
      }
      const disposition = /^content-disposition:(.*)$/im.exec(headers)?.[1] ?? '';
      const name = headerParam(disposition, 'name');
      if (name !== undefined) {
        const filename = headerParam(disposition, 'filename');
        const contentType = /^content-type:\s*(.*)$/im.exec(headers)?.[1]?.trim();
        parts.push({
          name,
          data: Buffer.from(data),
          ...(filename !== undefined ? { filename } : {}),
          ...(contentType !== undefined ? { contentType } : {}),
        });
      }
    }
    start = next;
  }
  return parts;
}
