// Loads cc-bridge's TypeScript source into a bench script: the bench must not depend on a Nuxt
// build, and bundling in memory (zod included) leaves no bare import to resolve from a data: URL.
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/** Bundles `export … from './server/…'` lines (paths from the repo root) and imports the result. */
export async function importSource(exportLines, name) {
  const out = await build({
    stdin: { contents: exportLines.join('\n'), resolveDir: root, sourcefile: `${name}-entry.js`, loader: 'js' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    write: false,
    alias: { '#shared': join(root, 'shared'), '#server': join(root, 'server') },
    logLevel: 'silent',
  })
  return import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`)
}
