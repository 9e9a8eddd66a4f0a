// The workspace's churnwatch.yaml as the server reads it: loaded again only when the file changes, so a
// request pays for a stat, not a parse. Jobs need it (sources, churn definition); batch appends fall back to
// API-only defaults when the workspace has none.

import { statSync } from 'node:fs';
import { join } from 'node:path';
import { type Config, configSchema } from '../config/config-schema.js';
import { CONFIG_FILE, loadConfig } from '../config/load-config.js';

const cache = new Map<string, { mtimeMs: number; config: Config }>();

/** The workspace's configuration; InputError naming the file when it is missing or invalid. */
export function workspaceConfig(workspace: string): Config {
  const path = join(workspace, CONFIG_FILE);
  let mtimeMs: number;
  try {
    mtimeMs = statSync(path).mtimeMs;
  } catch {
    return loadConfig(path); // throws the InputError that names the file
  }
  const cached = cache.get(path);
  if (cached && cached.mtimeMs === mtimeMs) return cached.config;
  const config = loadConfig(path);
  cache.set(path, { mtimeMs, config });
  return config;
}

/**
 * The configuration batch appends follow. Without a churnwatch.yaml the workspace is fed by the API alone:
 * customers are the ones the warehouse holds (activity of others is `unknown_customer`), no test-account
 * rule, duplicates quarantined.
 */
export function appendConfig(workspace: string): Config {
  try {
    statSync(join(workspace, CONFIG_FILE));
  } catch {
    return API_ONLY;
  }
  return workspaceConfig(workspace);
}

const API_ONLY: Config = configSchema.parse({
  sources: { customers: { path: 'api:customers' } },
  churn: { kind: 'non_contractual', horizon_days: 90 },
});
