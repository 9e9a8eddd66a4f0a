// Starting a worker thread on one of our modules, built or not: the built package runs the compiled JavaScript;
// under the test runner (and tsx) the sources are TypeScript, which a worker can load once tsx's loader is
// registered in it. In ml/ so that the learning core needs nothing outside it; the simulator uses it too.

import { Worker, type WorkerOptions } from 'node:worker_threads';

/** A worker running the module `name` (without extension) beside `from` (the caller's import.meta.url). */
export function startModuleWorker(name: string, from: string, options: WorkerOptions): Worker {
  const typescript = from.endsWith('.ts');
  const url = new URL(`./${name}.${typescript ? 'ts' : 'js'}`, from);
  return typescript
    ? new Worker(
        `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`,
        { ...options, eval: true },
      )
    : new Worker(url, options);
}
