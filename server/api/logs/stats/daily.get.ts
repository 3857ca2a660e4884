import { dailyStatsRoute } from '#server/utils/admin/log-routes'

export default dailyStatsRoute()
