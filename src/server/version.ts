// The churnwatch version, read once from package.json (two levels up from both src/server and dist/server).

import { readFileSync } from 'node:fs';

/** The version in package.json. */
export const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
