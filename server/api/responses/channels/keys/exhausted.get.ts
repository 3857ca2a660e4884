import { exhaustedKeysRoute } from '#server/utils/admin/scheduler-routes'

export default exhaustedKeysRoute('responses')
