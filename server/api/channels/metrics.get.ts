import { channelMetricsRoute } from '#server/utils/admin/scheduler-routes'

export default channelMetricsRoute('messages')
