#!/usr/bin/env node
// The churnwatch command line: argument parsing only; each command's presentation lives in cli/commands/.

import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { formatWhere, InputError } from '../errors.js';
import { registerAnalyze } from './commands/analyze.js';
import { registerCustomer } from './commands/customer.js';
import { registerDemo } from './commands/demo.js';
import { registerExplain } from './commands/explain.js';
import { registerIngest } from './commands/ingest.js';
import { registerInit } from './commands/init.js';
import { registerScore } from './commands/score.js';
import { registerServe } from './commands/serve.js';
import { registerTrain } from './commands/train.js';
import { EXIT } from './exit-codes.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

/** Runs the CLI on `argv` (as process.argv) and returns the exit code. */
async function runCli(argv: string[]): Promise<number> {
  const program = new Command('churnwatch')
    .description('Customer-churn early warning: who is about to leave, how likely, and why.')
    .version(pkg.version)
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  registerTrain(program);
  registerScore(program);
  registerExplain(program);
  registerCustomer(program);
  registerDemo(program);
  registerInit(program);
  registerIngest(program);
  registerAnalyze(program);
  registerServe(program);
  for (const command of program.commands) command.exitOverride();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    return reportError(error);
  }
}

/** Prints an error in one line and picks the exit code. */
function reportError(error: unknown): number {
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT.ok;
    if (error.code === 'commander.help') return EXIT.ok;
    return EXIT.badInput; // commander has printed the message already
  }
  if (error instanceof InputError) {
    const where = formatWhere(error.where);
    process.stderr.write(`churnwatch: error: ${where ? `${where}: ` : ''}${error.message}\n`);
    return EXIT.badInput;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`churnwatch: internal error: ${message}\n`);
  if (process.env.CHURNWATCH_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  else process.stderr.write('(set CHURNWATCH_DEBUG=1 for details, and please report it)\n');
  return EXIT.internal;
}

// `churnwatch score … | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? EXIT.ok);
});
process.exitCode = await runCli(process.argv);
