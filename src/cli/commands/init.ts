// `churnwatch init`: creates the workspace folder with a commented example churnwatch.yaml.

import { join } from 'node:path';
import type { Command } from 'commander';
import { writeExampleConfig } from '../../config/example-config.js';
import { CONFIG_FILE } from '../../config/load-config.js';

interface InitFlags {
  workspace: string;
  force: boolean;
  json: boolean;
}

/** Adds the init command. */
export function registerInit(program: Command): void {
  program
    .command('init')
    .description('create a workspace with an example churnwatch.yaml to edit')
    .option('--workspace <dir>', 'the workspace folder', './churnwatch-data')
    .option('--force', 'overwrite an existing churnwatch.yaml', false)
    .option('--json', 'one JSON line', false)
    .action((flags: InitFlags) => {
      const path = join(flags.workspace, CONFIG_FILE);
      writeExampleConfig(path, { force: flags.force });
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ config: path })}\n`);
        return;
      }
      process.stdout.write(
        `wrote ${path}\nnext: point its sources at your files, then run churnwatch ingest --workspace ${flags.workspace}\n`,
      );
    });
}
