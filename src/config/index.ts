export { describeConfig } from './describe.js';
export { helpText, markdownReference } from './doc.js';
export { ConfigError, type ConfigIssue } from './errors.js';
export { type Config, type LoadInput, loadConfig } from './load.js';
export { flagOf, SETTINGS, type SettingKey, TRANSPORTS } from './settings.js';
export { VERSION } from './version.js';
