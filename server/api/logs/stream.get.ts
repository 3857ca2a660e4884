import { logStreamRoute } from '#server/utils/admin/log-routes'

export default logStreamRoute()
