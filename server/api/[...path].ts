/** Unknown `/api/*` paths get a JSON 404, as in the Go cc-bridge. */
export default defineEventHandler((event) => {
  const path = event.path.split('?', 1)[0]
  setResponseStatus(event, 404)
  return { error: 'API endpoint not found', path, message: `No admin endpoint ${event.method} ${path}` }
})
