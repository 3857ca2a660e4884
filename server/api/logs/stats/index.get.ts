import { logStatsRoute } from '#server/utils/admin/log-routes'

export default logStatsRoute()
