// `npm start`: serve the built server, building it first when `.output` is missing (fresh clone).
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const entry = `${root}.output/server/index.mjs`

if (!existsSync(entry)) {
  console.log('[cc-bridge] .output is missing; building once (about 15 s)…')
  const r = spawnSync(process.execPath, [`${root}node_modules/nuxt/bin/nuxt.mjs`, 'build'], { cwd: root, stdio: 'inherit' })
  if (r.status !== 0) process.exit(r.status ?? 1)
}
await import(pathToFileURL(entry).href)
