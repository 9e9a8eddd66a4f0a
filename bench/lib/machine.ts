// What the benchmark ran on: cores, memory, CPU model, Node and the reference's Python library versions, the
// load at the start, and the churnwatch commit — printed first so a table is never read without its machine.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg, totalmem } from 'node:os';

export interface MachineInfo {
  cores: number;
  memoryGiB: number;
  cpuModel: string;
  node: string;
  python: Record<string, string>;
  load1: number;
  commit: string | null;
}

/** Above this 1-minute load average another process shares the cores and timings are unreliable. */
export const LOAD_LIMIT = 0.5;

const VERSIONS_SNIPPET = `
import json, platform, numpy, pandas, sklearn, xgboost
print(json.dumps({"python": platform.python_version(), "numpy": numpy.__version__, "pandas": pandas.__version__,
                  "scikit-learn": sklearn.__version__, "xgboost": xgboost.__version__}))
`;

/** Reads the machine's description; `root` is the churnwatch checkout (for its commit, read-only). */
export function describeMachine(python: string, root: string): MachineInfo {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? 'unknown';
  return {
    cores: availableParallelism(),
    memoryGiB: totalmem() / 2 ** 30,
    cpuModel: model.trim(),
    node: process.version,
    python: JSON.parse(execFileSync(python, ['-c', VERSIONS_SNIPPET], { encoding: 'utf8' })),
    load1: loadavg()[0],
    commit: gitCommit(root),
  };
}

/** The lines printed at the start, with a warning when the machine is busy. */
export function machineLines(info: MachineInfo): string[] {
  const libs = Object.entries(info.python)
    .map(([name, version]) => `${name} ${version}`)
    .join(', ');
  const lines = [
    `machine: ${info.cores} cores, ${info.memoryGiB.toFixed(1)} GiB, ${info.cpuModel}`,
    `software: Node ${info.node}; ${libs}; churnwatch ${info.commit ?? '(commit unknown)'}`,
    `load average (1 min) at start: ${info.load1.toFixed(2)}`,
  ];
  if (info.load1 > LOAD_LIMIT) {
    lines.push(
      `WARNING: load average ${info.load1.toFixed(2)} > ${LOAD_LIMIT}: other processes are using the cores; ` +
        'timings and ratios below are unreliable (XGBoost and hgb, with OpenMP threads that spin while ' +
        'waiting, slow down far more than ours when the cores are shared). Rerun on an idle machine.',
    );
  }
  return lines;
}

function gitCommit(root: string): string | null {
  try {
    return execFileSync('git', ['-C', root, 'rev-parse', '--short', 'HEAD'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return null;
  }
}
