// Shared by the helper servers the bench forks (fake upstream, baseline): how they tell the
// parent their port, and how they avoid outliving it.
import { fileURLToPath } from 'node:url'

/** True when the module at `url` is the script node was started with. */
export function isMain(url) {
  return process.argv[1] === fileURLToPath(url)
}

/** Sends the bound port to the parent over IPC, and exits when the parent goes away. */
export function reportListening(server) {
  // 'disconnect' fires even when the parent is SIGKILLed, so no orphan keeps a port open.
  process.on('disconnect', () => process.exit(0))
  process.on('SIGTERM', () => process.exit(0))
  process.on('SIGINT', () => process.exit(0))
  process.send?.({ port: server.address().port })
}
