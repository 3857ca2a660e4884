import { pingAllRoute } from '#server/utils/admin/scheduler-routes'

export default pingAllRoute('responses')
