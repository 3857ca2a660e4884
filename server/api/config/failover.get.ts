import { getFailoverRoute } from '#server/utils/admin/scheduler-routes'

export default getFailoverRoute()
