import { cleanupLogsRoute } from '#server/utils/admin/log-routes'

export default cleanupLogsRoute()
