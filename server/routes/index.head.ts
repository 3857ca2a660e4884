/** Claude Code probes its base URL with `HEAD /` before the first request; answer without a key. */
export default defineEventHandler((event) => {
  setResponseStatus(event, 200)
  return ''
})
