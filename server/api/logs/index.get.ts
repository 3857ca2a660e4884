import { listLogsRoute } from '#server/utils/admin/log-routes'

export default listLogsRoute()
