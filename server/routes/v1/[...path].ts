import { serveV1Route } from '#server/utils/proxy/entry-points'

/** `/v1/**` beyond the fast path's exact paths: same table, same pipeline (see `serveV1Route`). */
export default defineEventHandler(event => serveV1Route(event))
