import { renameSync } from 'node:fs'
import { join } from 'pathe'
import { buildSync } from 'esbuild'

/** The writer thread's file name, next to the built server (`.output/server/`), as `createWorkerWriter` looks for it. */
const LOG_WRITER_FILE = 'log-writer.mjs'

/**
 * Bundles the request log's writer thread (server/workers/log-writer.ts and what it imports from
 * the server's code) into `${outDir}/log-writer.mjs`, leaving `libsql` to be resolved from there: a
 * worker needs a file of its own, and the thread reads answers and prices them with the same code
 * as the event loop. Written under a temporary name and renamed, so that processes building the
 * same file at once never load half of it.
 */
export function bundleLogWriter(rootDir: string, outDir: string): void {
  const outfile = join(outDir, LOG_WRITER_FILE)
  const partial = `${outfile}.${process.pid}.tmp`
  buildSync({
    entryPoints: [join(rootDir, 'server/workers/log-writer.ts')],
    outfile: partial,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    external: ['libsql'],
    alias: { '#server': join(rootDir, 'server'), '#shared': join(rootDir, 'shared') },
    logLevel: 'error',
  })
  renameSync(partial, outfile)
}
