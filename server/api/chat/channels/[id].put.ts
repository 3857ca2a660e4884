import { updateChannelRoute } from '../../../utils/config/channel-routes'

export default updateChannelRoute('chat')
