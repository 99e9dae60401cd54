/** Bundles a TypeScript entry into one CommonJS file that plain `node` runs (for tests that need real processes). */
import path from 'node:path';
import { build } from 'esbuild';

export async function bundleScript(entry: string, outDir: string): Promise<string> {
  const outfile = path.join(outDir, `${path.basename(entry, '.ts')}.cjs`);
  await build({
    entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'error',
    external: ['onnxruntime-node'],
  });
  return outfile;
}
