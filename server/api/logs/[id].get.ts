import { getLogRoute } from '#server/utils/admin/log-routes'

export default getLogRoute()
