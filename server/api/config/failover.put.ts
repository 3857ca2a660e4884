import { putFailoverRoute } from '#server/utils/admin/scheduler-routes'

export default putFailoverRoute()
