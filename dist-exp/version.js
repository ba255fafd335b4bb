import { readFileSync } from 'node:fs';
const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
export const GATEWAY_NAME = manifest.name;
export const GATEWAY_VERSION = manifest.version;
/** Sent upstream so the AgentMC operators can tell this gateway's traffic apart. */
export const USER_AGENT = `${GATEWAY_NAME}/${GATEWAY_VERSION}`;
//# sourceMappingURL=version.js.map