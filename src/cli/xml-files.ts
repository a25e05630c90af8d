/** The invoice files a command was given: files as they are, folders searched (recursively) for *.xml. */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { EfactError } from '../domain/errors.js';

/**
 * Files in the order given, each folder's *.xml files sorted (a stable order). A path that does
 * not exist is kept when `missing` is 'keep' (the caller reports it per file), else refused.
 */
export async function expandXmlPaths(inputs: readonly string[], missing: 'keep' | 'refuse'): Promise<string[]> {
  const files: string[] = [];
  for (const input of inputs) {
    const st = await stat(input).catch(() => null);
    if (st === null && missing === 'refuse') throw new EfactError('INVALID_REQUEST', `${input}: no such file or folder`);
    if (st?.isDirectory()) {
      const entries = await readdir(input, { recursive: true, withFileTypes: true });
      files.push(
        ...entries
          .filter((e) => e.isFile() && /\.xml$/i.test(e.name))
          .map((e) => path.join(e.parentPath, e.name))
          .sort(),
      );
    } else files.push(input);
  }
  return files;
}
