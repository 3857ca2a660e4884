import { channelMetricsRoute } from '../../../utils/config/scheduler-routes'

export default channelMetricsRoute('chat')
