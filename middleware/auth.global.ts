/**
 * Every page but the login needs the access key. `?key=` on `/` or `/login` signs in (a link the
 * server's start-up banner can print) and is then removed from the address bar and history.
 */
export default defineNuxtRouteMiddleware(async (to) => {
  const auth = useAuthStore()
  const queryKey = typeof to.query.key === 'string' ? to.query.key : ''
  if (queryKey && (to.path === '/' || to.path === '/login')) {
    const { key: _key, ...query } = to.query
    const result = await auth.login(queryKey)
    if (result.ok) return navigateTo({ path: typeof query.redirect === 'string' ? query.redirect : '/channels/messages', replace: true })
    return navigateTo({ path: '/login', query: { ...query, failed: result.reason }, replace: true })
  }
  if (to.path === '/login') return auth.loggedIn ? navigateTo('/channels/messages', { replace: true }) : undefined
  if (!auth.loggedIn) return navigateTo({ path: '/login', query: to.path === '/' ? {} : { redirect: to.fullPath } }, { replace: true })
})
