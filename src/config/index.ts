/** Efact's configuration: load it, check it, import the manuals' INI, write YAML. */
export { loadConfig, readConfigFile, type LoadConfigOptions } from './load.js';
export { parseConfig, type ParseConfigOptions } from './parse.js';
export { importWmefServerIni, type IniImport, type IniImportOptions } from './ini-import.js';
export { decodeIniBytes } from './ini-decode.js';
export { renderConfigYaml, type RenderOptions } from './render.js';
export { CONFIG_DEFAULTS, CIF_PLACEHOLDER, DEFAULT_DB_FILE, MANUAL_PACING } from './defaults.js';
export { CONFIG_FILE_VARIABLE, ENV_KEYS } from './env.js';
export { configSchema, type EfactConfigInput } from './schema.js';
export {
  LOG_LEVELS,
  STORE_SYNC_MODES,
  type CompanyConfig,
  type DeepPartial,
  type EfactConfig,
  type LogLevel,
  type StoreSyncMode,
  type UploadFlags,
} from './types.js';
