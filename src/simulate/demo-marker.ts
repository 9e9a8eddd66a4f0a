// The file that marks a folder as the demo's: a rerun may clear such a folder (and nothing else), and the
// simulation's settings are kept in it, so the server can rebuild the same business to play it forward.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import type { BusinessOptions, BusinessSimulation } from './business.js';

export const DEMO_MARKER = '.churnwatch-demo';

interface MarkerContent {
  note: string;
  simulation: Required<BusinessOptions>;
}

/** Marks `dir` as made by the demo, with the settings of `simulation`. */
export function writeDemoMarker(dir: string, simulation: BusinessSimulation): void {
  const content: MarkerContent = {
    note: "made by `churnwatch demo`: a rerun replaces this folder's demo files",
    simulation: {
      customers: simulation.customers,
      months: simulation.months,
      seed: simulation.seed,
      end: simulation.end,
    },
  };
  writeFileSync(join(dir, DEMO_MARKER), `${JSON.stringify(content, null, 2)}\n`);
}

/** True when `dir` holds a demo marker (of any version). */
export function isDemoFolder(dir: string): boolean {
  return existsSync(join(dir, DEMO_MARKER));
}

/** The simulation settings the demo in `dir` was made with; InputError when it is not a (current) demo. */
export function readDemoSettings(dir: string): Required<BusinessOptions> {
  const file = join(dir, DEMO_MARKER);
  const fail = (why: string): never => {
    throw new InputError(`${why}: only a workspace made by \`churnwatch demo\` can be played forward`, {
      file,
    });
  };
  if (!existsSync(file)) fail('not a demo workspace');
  let parsed: Partial<MarkerContent>;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<MarkerContent>;
  } catch {
    return fail('made by an older churnwatch demo (run `churnwatch demo` again)');
  }
  const settings = parsed.simulation;
  if (
    !settings ||
    !Number.isInteger(settings.customers) ||
    !Number.isInteger(settings.months) ||
    !Number.isInteger(settings.seed) ||
    typeof settings.end !== 'string'
  ) {
    return fail('the demo marker lacks the simulation settings (run `churnwatch demo` again)');
  }
  return settings;
}
