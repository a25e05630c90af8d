import { describe } from 'vitest';
import { accessSuite } from './access.suite.js';
import { claimsSuite } from './claims.suite.js';
import { companiesSuite } from './companies.suite.js';
import { downloadsSuite } from './downloads.suite.js';
import type { StoreFactory } from './harness.js';
import { gridSuite } from './grid.suite.js';
import { intakeSuite } from './intake.suite.js';
import { promoteSuite } from './promote.suite.js';
import { readsSuite } from './reads.suite.js';
import { recordsSuite } from './records.suite.js';
import { registrySuite } from './registry.suite.js';
import { partitionSuite } from './partition.suite.js';
import { transitionsSuite } from './transitions.suite.js';

export type { StoreFactory, StoreUnderTest } from './harness.js';

export interface SuiteOptions {
  /** The factory's stores have `reopen` (a database that outlives its connection). */
  reopenable?: boolean;
  /** Handles of the same database may run statements at the same time (PostgreSQL, not SQLite in one thread). */
  concurrent?: boolean;
}

/**
 * The behaviour every Store must have, as one suite over a factory: run it over SQLite in
 * memory and in a file now, over PostgreSQL (a schema per test) when that store arrives.
 */
export function describeStoreSuite(name: string, factory: StoreFactory, options: SuiteOptions = {}): void {
  describe(`Store: ${name}`, () => {
    companiesSuite(factory, options.reopenable ?? false);
    intakeSuite(factory);
    claimsSuite(factory);
    transitionsSuite(factory);
    promoteSuite(factory);
    recordsSuite(factory);
    readsSuite(factory);
    registrySuite(factory, options.reopenable ?? false);
    partitionSuite(factory, options.reopenable ?? false);
    gridSuite(factory);
    accessSuite(factory);
    downloadsSuite(factory, options.reopenable ?? false, options.concurrent ?? false);
  });
}
