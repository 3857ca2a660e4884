import { pingChannelRoute } from '../../../utils/config/scheduler-routes'

export default pingChannelRoute('chat')
