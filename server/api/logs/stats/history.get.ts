import { logHistoryRoute } from '#server/utils/admin/log-routes'

export default logHistoryRoute()
