/**
 * Structured logs (pino, JSON lines) go to <data>/logs/efact.log; the console gets short human
 * lines from the CLI instead, so a person watching `efact serve` is not buried in JSON.
 */
import { mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { pino, type Logger } from 'pino';
import type { EngineLogger } from '../engine/context.js';
import { pinoRedaction } from '../secrets/redaction.js';

export function createFileLogger(dataDir: string, level: string): Logger {
  const dir = path.join(dataDir, 'logs');
  mkdirSync(dir, { recursive: true });
  // Opened here, synchronously: a log stream still opening when a failed start exits makes pino throw.
  const fd = openSync(path.join(dir, 'efact.log'), 'a');
  // Known secret fields are censored before a line is written (ARCHITECTURE rule 4).
  return pino({ level, base: { pid: process.pid }, redact: pinoRedaction }, pino.destination({ fd, sync: false }));
}

/** Adapts pino to the engine's logger port. */
export function engineLogger(logger: Logger): EngineLogger {
  return {
    debug: (o, m) => logger.debug(o, m),
    info: (o, m) => logger.info(o, m),
    warn: (o, m) => logger.warn(o, m),
    error: (o, m) => logger.error(o, m),
  };
}
