import { createChannelRoute } from '../../../utils/config/channel-routes'

export default createChannelRoute('chat')
