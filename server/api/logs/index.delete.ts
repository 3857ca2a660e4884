import { resetLogsRoute } from '#server/utils/admin/log-routes'

export default resetLogsRoute()
