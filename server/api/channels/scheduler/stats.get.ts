import { schedulerStatsRoute } from '../../../utils/config/scheduler-routes'

export default schedulerStatsRoute()
