// Builds the dashboard into dist/web (served by src/server/static-files.ts) and prints the JavaScript a
// first visit downloads, gzipped; the build fails when it passes the budget of issue 6 (300 kB).

import { gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/** Largest first-load JavaScript, gzipped, in bytes. */
const FIRST_LOAD_BUDGET = 300 * 1024;

export default defineConfig({
  root: new URL('.', import.meta.url).pathname,
  base: '/',
  plugins: [react(), firstLoadBudget()],
  build: {
    outDir: new URL('../dist/web', import.meta.url).pathname,
    emptyOutDir: true,
    sourcemap: false,
    reportCompressedSize: false,
    // The chart chunk (ECharts, tree-shaken) is ~510 kB minified, ~170 kB gzipped, loaded after sign-in.
    chunkSizeWarningLimit: 600,
  },
});

/** Sums the entry chunk and its static imports (what index.html loads before anything is clicked). */
function firstLoadBudget(): Plugin {
  return {
    name: 'churnwatch-first-load-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = new Map<string, { code: string; imports: string[] }>();
      const entries: string[] = [];
      for (const [fileName, output] of Object.entries(bundle)) {
        if (output.type !== 'chunk') continue;
        chunks.set(fileName, { code: output.code, imports: output.imports });
        if (output.isEntry) entries.push(fileName);
      }
      const seen = new Set<string>();
      const visit = (fileName: string): void => {
        if (seen.has(fileName)) return;
        seen.add(fileName);
        for (const imported of chunks.get(fileName)?.imports ?? []) visit(imported);
      };
      for (const entry of entries) visit(entry);
      let firstLoad = 0;
      for (const fileName of seen) firstLoad += gzipSync(chunks.get(fileName)?.code ?? '').length;
      let total = 0;
      for (const chunk of chunks.values()) total += gzipSync(chunk.code).length;
      const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
      console.log(
        `first-load JavaScript ${kb(firstLoad)} gzipped (budget ${kb(FIRST_LOAD_BUDGET)}); all chunks ${kb(total)}`,
      );
      if (firstLoad > FIRST_LOAD_BUDGET) {
        this.error(
          `first-load JavaScript is ${kb(firstLoad)} gzipped, over the ${kb(FIRST_LOAD_BUDGET)} budget`,
        );
      }
    },
  };
}
