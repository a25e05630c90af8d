/** Engine and archive stand-ins that record what the API asked of them. */
import type { Archive, ArchiveWriteRequest } from '../../ports/archive.js';
import type { CompanyEngineState, EngineControl } from '../../engine/engine-control.js';

export class FakeEngine implements EngineControl {
  readonly resumed: Array<number | undefined> = [];
  readonly woken: Array<number | undefined> = [];
  constructor(public current: CompanyEngineState[] = []) {}
  states(): CompanyEngineState[] {
    return this.current;
  }
  resume(companyId?: number): void {
    this.resumed.push(companyId);
    for (const s of this.current) {
      if (s.companyId === companyId && s.phase === 'backoff') {
        s.phase = 'running';
        s.backoffUntil = null;
      }
    }
  }
  wake(companyId?: number): void {
    this.woken.push(companyId);
  }
}

export class FakeArchive implements Archive {
  readonly files = new Map<string, Uint8Array>();
  async write(req: ArchiveWriteRequest): Promise<string> {
    const path = `archive/${req.cif}/${req.month}/${req.downloadId}.zip`;
    this.files.set(path, req.zip);
    return path;
  }
  async read(relativePath: string): Promise<Uint8Array> {
    const f = this.files.get(relativePath);
    if (!f) throw new Error(`ENOENT: no such file ${relativePath}`);
    return f;
  }
}
