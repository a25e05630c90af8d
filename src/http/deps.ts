import type { Archive } from '../ports/archive.js';
import type { Store } from '../ports/store.js';
import type { ServerRegistry } from '../ports/server-registry.js';
import type { RateGovernor } from '../ports/rate-governor.js';
import type { AnafConnector } from '../ports/platform.js';
import type { EngineControl } from '../engine/engine-control.js';
import type { IntakeService } from '../engine/intake/intake-service.js';
import type { IntakeRejections } from '../engine/intake/intake-rejections.js';
import { DEFAULT_MAX_XML_BYTES } from '../xml/parse.js';
import type { ErpFolders } from '../server/erp-folders.js';
import type { OAuthService } from '../adapters/anaf/oauth/service.js';
import type { CompanyAdmin } from '../server/company-admin.js';
import type { AccessOptions } from './access/access-control.js';
import type { SecretVault } from '../ports/secrets.js';

/** Everything the REST API needs; the server wiring builds these once and passes them in. */
export interface ApiDeps {
  store: Store;
  intake: IntakeService;
  engine: EngineControl;
  archive: Archive;
  /** The server registry, read by GET /servers (absent: the list is empty). */
  servers?: Pick<ServerRegistry, 'listServers' | 'currentServer'>;
  /** Export-folder files that were not accepted (absent: the list is always empty). */
  rejections?: IntakeRejections;
  /** Export folders: month selection and write-back errors (absent: those routes answer 404). */
  erpFolders?: Pick<ErpFolders, 'view' | 'setMonths'>;
  /** Fastify / pino logger option: false (default) for none, true, or pino options. */
  logger?: boolean | object;
  /** Largest request body accepted on invoice upload. Default {@link DEFAULT_UPLOAD_BODY_LIMIT}. */
  bodyLimitBytes?: number;
  /** ANAF OAuth (status, the login callback); absent: those routes answer 404. */
  oauth?: OAuthService;
  /** Efact's version, reported by /health and the OpenAPI document. */
  version: string;
  /** The rate governor, for GET /governor (absent: the route answers 404). */
  governor?: Pick<RateGovernor, 'snapshot'>;
  /** ANAF's PDF rendering (`transformare`), for GET /invoices/{id}/pdf. */
  pdf?: Pick<AnafConnector, 'toPdf'>;
  /** This instance (the manuals' ServerID and seats), shown by /health and the dashboard. */
  instance?: { serverId: number; seats: number };
  /** How often the live feed (GET /events) looks for new events; default 500 ms. */
  feedIntervalMs?: number;
  /** Adding, changing, removing companies (default: over `store`, no company from a configuration file). */
  companies?: CompanyAdmin;
  /** The secrets vault: partner keys and certificate passwords (absent: those routes answer 404). */
  vault?: SecretVault;
  /** Fastify's trustProxy (config `http.trustProxy`): whose X-Forwarded-For names the client; default false. */
  trustProxy?: boolean | number | string | string[];
  /** Access control settings (default DEFAULT_ACCESS: keys needed once one exists). */
  access?: AccessOptions;
  /** The time (tests move it); default the system clock. */
  now?: () => Date;
}

/** Every route lives under this prefix. */
export const API_PREFIX = '/api/v1';

/**
 * The transport limit sits a little above ANAF's 10 MB so that a file just over 10 MB still
 * reaches intake, which answers with its exact size and the limit; anything far larger is cut off
 * by fastify while streaming, before it is held in memory, and mapped to the same 413.
 */
export const DEFAULT_UPLOAD_BODY_LIMIT = DEFAULT_MAX_XML_BYTES + 64 * 1024;
