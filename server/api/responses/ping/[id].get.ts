import { pingChannelRoute } from '#server/utils/admin/scheduler-routes'

export default pingChannelRoute('responses')
