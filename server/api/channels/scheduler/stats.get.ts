import { schedulerStatsRoute } from '#server/utils/admin/scheduler-routes'

export default schedulerStatsRoute()
