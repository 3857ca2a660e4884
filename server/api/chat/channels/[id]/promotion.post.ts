import { promoteChannelRoute } from '../../../../utils/config/scheduler-routes'

export default promoteChannelRoute('chat')
