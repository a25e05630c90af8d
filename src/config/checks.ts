/**
 * Rules that span several keys. They read the merged, not yet validated values and skip
 * whatever has the wrong type (the schema reports that), so that one run names every
 * problem rather than one per attempt.
 */
import { normalizeCif } from '../domain/cif.js';
import { parseOptionalPartitionFilter } from '../domain/partition-filter/index.js';
import { CONFIG_DEFAULTS, MANUAL_PACING } from './defaults.js';
import { describeKey, formatPath, showValue } from './issues.js';
import { isPlainObject, valueAt, type Merged } from './layers.js';
import { PACING_NOTE } from './schema.js';

/** sandbox.enabled as it will resolve: explicit, else on unless an ANAF token is configured. */
export function sandboxWillRun(values: Record<string, unknown>): { enabled: boolean; why: string } {
  const explicit = valueAt(values, ['sandbox', 'enabled']);
  if (typeof explicit === 'boolean') return { enabled: explicit, why: 'as configured' };
  const token = valueAt(values, ['anaf', 'token']);
  return typeof token === 'string' && token !== ''
    ? { enabled: false, why: 'off by default because anaf.token is set' }
    : { enabled: true, why: 'on by default because no anaf.token is set' };
}

function checkPacing(merged: Merged): string[] {
  const problems: string[] = [];
  const pacing = valueAt(merged.values, ['engine', 'pacingSeconds']);
  const fast = valueAt(merged.values, ['engine', 'allowFastPacing']) === true;
  if (typeof pacing === 'number' && pacing >= 0 && pacing < MANUAL_PACING.min && !fast) {
    const key = describeKey(merged, ['engine', 'pacingSeconds']);
    problems.push(`${key}: ${pacing} is below the minimum ${MANUAL_PACING.min} (${PACING_NOTE})`);
  }
  const sandbox = sandboxWillRun(merged.values);
  if (fast && !sandbox.enabled) {
    // fast pacing is for the simulator; against the real ANAF it would break the manuals' etiquette
    problems.push(
      `engine.allowFastPacing: true is only allowed with sandbox.enabled: true ` +
        `(sandbox.enabled is false, ${sandbox.why}); ` +
        'fast pacing is meant for the sandbox and benchmarks, never the real ANAF',
    );
  }
  return problems;
}

function checkCompanies(merged: Merged): string[] {
  const companies = valueAt(merged.values, ['companies']);
  if (!Array.isArray(companies)) return [];
  const problems: string[] = [];
  const byCif = new Map<string, number>();
  const byShortName = new Map<string, number>();
  companies.forEach((company: unknown, index) => {
    if (!isPlainObject(company)) return;
    if (typeof company.cif === 'string') {
      const digits = normalizeCif(company.cif);
      const first = digits === null ? undefined : byCif.get(digits);
      if (first !== undefined) {
        problems.push(
          `${formatPath(['companies', index, 'cif'])}: ${showValue(company.cif, ['cif'])} is the same CIF as ` +
            `${formatPath(['companies', first, 'cif'])} (${digits}); each company may be listed once`,
        );
      } else if (digits !== null) {
        byCif.set(digits, index);
      }
    }
    if (typeof company.partitionFilter === 'string') {
      // the manuals' FiltruSQL: refused here, at start, with the column of the mistake
      try {
        parseOptionalPartitionFilter(company.partitionFilter);
      } catch (e) {
        problems.push(`${formatPath(['companies', index, 'partitionFilter'])}: ${(e as Error).message}`);
      }
    }
    if (typeof company.shortName === 'string') {
      // shortName names the company in the CLI, the API and the cifs map of the INI import
      const name = company.shortName.trim().toLowerCase();
      const first = byShortName.get(name);
      if (first !== undefined) {
        problems.push(
          `${formatPath(['companies', index, 'shortName'])}: ${JSON.stringify(company.shortName)} is already ` +
            `used by ${formatPath(['companies', first, 'shortName'])}; short names must be unique (case ignored)`,
        );
      } else {
        byShortName.set(name, index);
      }
    }
  });
  return problems;
}

function checkServer(merged: Merged): string[] {
  const problems: string[] = [];
  const schema = valueAt(merged.values, ['store', 'schema']);
  const url = valueAt(merged.values, ['store', 'url']);
  if (typeof schema === 'string' && !(typeof url === 'string' && /^postgres(ql)?:\/\//.test(url))) {
    problems.push(`${describeKey(merged, ['store', 'schema'])}: applies to a PostgreSQL store only; store.url is not a postgres:// URL`);
  }
  const filter = valueAt(merged.values, ['serverFilter']);
  if (typeof filter === 'string') {
    try {
      parseOptionalPartitionFilter(filter);
    } catch (e) {
      problems.push(`${describeKey(merged, ['serverFilter'])}: ${(e as Error).message}`);
    }
  }
  const heartbeat = valueAt(merged.values, ['serverHeartbeatSeconds']) ?? CONFIG_DEFAULTS.serverHeartbeatSeconds;
  const lease = valueAt(merged.values, ['serverLeaseSeconds']) ?? CONFIG_DEFAULTS.serverLeaseSeconds;
  if (typeof heartbeat === 'number' && typeof lease === 'number' && heartbeat > 0 && lease < 2 * heartbeat) {
    // one late heartbeat must not cost the registration
    problems.push(
      `${describeKey(merged, ['serverLeaseSeconds'])}: ${lease} is less than twice serverHeartbeatSeconds (${heartbeat}); ` +
        `a lease must outlast at least two heartbeats, e.g. serverLeaseSeconds: ${heartbeat * 3}`,
    );
  }
  return problems;
}

export function crossChecks(merged: Merged): string[] {
  return [...checkPacing(merged), ...checkCompanies(merged), ...checkServer(merged)];
}
