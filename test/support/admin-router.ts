import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { createRouter, type EventHandler, type Router, type RouterMethod } from 'h3'

const API_DIR = fileURLToPath(new URL('../../server/api', import.meta.url))

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(e => e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)])
}

/** Nitro's file routing: `[id]` → `:id`, `index` → the folder, `name.get.ts` → GET. */
export function routeOf(file: string): { method?: RouterMethod, path: string } {
  const parts = relative(API_DIR, file).replace(/\.ts$/, '').split('/')
  const last = parts.pop()!.split('.')
  const method = last.length > 1 ? last.pop() as RouterMethod : undefined
  const name = last.join('.')
  const segments = [...parts, name === 'index' ? '' : name]
    .filter(Boolean)
    .map(s => s.replace(/^\[\.\.\.\w+\]$/, '**').replace(/^\[(\w+)\]$/, ':$1'))
  return { method, path: `/api/${segments.join('/')}` }
}

/**
 * An h3 router with every admin route built from the admin route factories, mounted where Nitro
 * mounts it: derived from the files under server/api, so a route added, moved or removed there
 * is what the tests see. Files that rely on Nitro's auto-imports instead are left out.
 */
export async function adminRouter(): Promise<{ router: Router, routes: string[] }> {
  const router = createRouter()
  const routes: string[] = []
  for (const file of files(API_DIR)) {
    if (!readFileSync(file, 'utf8').includes('#server/utils/admin/')) continue
    const { method, path } = routeOf(file)
    const handler = (await import(pathToFileURL(file).href)).default as EventHandler
    if (method) router[method](path, handler)
    else router.use(path, handler)
    routes.push(`${method?.toUpperCase() ?? '*'} ${path}`)
  }
  return { router, routes }
}
