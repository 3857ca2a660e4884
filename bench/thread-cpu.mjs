// A process's CPU time split into its main thread (the event loop) and its other threads (the
// request log's writer, V8's GC helpers, libuv's pool), read from /proc on Linux. The kernel
// counts in scheduler ticks (10 ms), so only totals over thousands of requests mean anything.
import { execFile } from 'node:child_process'
import { readdir, readFile } from 'node:fs/promises'
import { promisify } from 'node:util'

let tick

/** µs per tick of /proc's CPU times (USER_HZ, 100 on nearly every Linux), asked once of getconf. */
function clockTickUs() {
  tick ??= promisify(execFile)('getconf', ['CLK_TCK']).then(({ stdout }) => 1e6 / Number(stdout.trim()), () => 10_000)
  return tick
}

/** CPU µs of `pid` so far, `{ mainUs, otherUs }`; undefined where /proc cannot tell (not Linux, or the process is gone). */
export async function threadCpu(pid) {
  try {
    const tick = await clockTickUs()
    let mainUs = 0
    let otherUs = 0
    for (const tid of await readdir(`/proc/${pid}/task`)) {
      const stat = await readFile(`/proc/${pid}/task/${tid}/stat`, 'utf8').catch(() => undefined)
      if (!stat) continue // a thread that ended between the listing and the read
      // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      const us = (Number(fields[11]) + Number(fields[12])) * tick
      if (tid === String(pid)) mainUs += us
      else otherUs += us
    }
    return { mainUs, otherUs }
  }
  catch {
    return undefined
  }
}
