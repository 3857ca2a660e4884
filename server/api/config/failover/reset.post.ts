import { resetFailoverRoute } from '#server/utils/admin/scheduler-routes'

export default resetFailoverRoute()
