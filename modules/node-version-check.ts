import { readFileSync } from 'node:fs'
import { readFile, rename, writeFile } from 'node:fs/promises'
import { defineNuxtModule } from 'nuxt/kit'
import { join } from 'pathe'

/** Where the server bundle goes once `index.mjs` becomes the version check in front of it. */
export const SERVER_BUNDLE = 'server.mjs'

const MARKER = '// cc-bridge: Node version check'

/** `>=22.19` → `[22, 19, 0]`. Only a plain lower bound can be checked without semver at run time. */
export function minimumNodeVersion(range: string): [number, number, number] {
  const m = /^>=\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(range.trim())
  if (!m) throw new Error(`package.json engines.node must be a lower bound like ">=22.19" (got "${range}")`)
  return [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)]
}

/**
 * The source of the built server's entry: it compares `process.versions.node` with the minimum
 * and only then imports the bundle. The check cannot live in a plugin: the bundle's static
 * imports (undici among them) run before any plugin, and on an older Node undici dies with a
 * TypeError that does not say the Node version is the problem. Written in syntax any Node
 * still in use can parse, and it prints one line and exits with 1.
 */
export function versionCheckEntry(range: string): string {
  const required = minimumNodeVersion(range)
  return `${MARKER} (required ${range}), written by modules/node-version-check.ts at build time.
const required = ${JSON.stringify(required)}
const found = process.versions.node.split('.').map(Number)
let older = false
for (let i = 0; i < 3; i++) {
  if (found[i] !== required[i]) {
    older = found[i] < required[i]
    break
  }
}
if (older) {
  console.error(${JSON.stringify(`cc-bridge needs Node.js ${range}`)} + ' (found v' + process.versions.node + ')')
  process.exitCode = 1
}
else {
  await import('./${SERVER_BUNDLE}')
}
`
}

/**
 * Puts the Node version check in front of the built server: after Nitro writes
 * `.output/server/index.mjs`, the bundle is renamed to `server.mjs` and `index.mjs` becomes the
 * check, so `node .output/server/index.mjs` stays the command and an old Node gets one clear line.
 */
export default defineNuxtModule({
  meta: { name: 'node-version-check' },
  setup(_, nuxt) {
    // The dev server runs its own worker entry; only a production build has index.mjs to wrap.
    if (nuxt.options.dev) return
    const pkg = JSON.parse(readFileSync(join(nuxt.options.rootDir, 'package.json'), 'utf8')) as { engines?: { node?: string } }
    const range = pkg.engines?.node
    if (!range) return
    const entrySource = versionCheckEntry(range)
    nuxt.hook('nitro:init', (nitro) => {
      nitro.hooks.hook('compiled', async () => {
        const dir = nitro.options.output.serverDir
        const entry = join(dir, 'index.mjs')
        const bundle = await readFile(entry, 'utf8').catch(() => undefined)
        if (bundle === undefined || bundle.startsWith(MARKER)) return
        // index.mjs.map keeps its name: the renamed bundle's sourceMappingURL still points to it.
        await rename(entry, join(dir, SERVER_BUNDLE))
        await writeFile(entry, entrySource)
      })
    })
  },
})
