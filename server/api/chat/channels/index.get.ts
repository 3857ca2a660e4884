import { listChannelsRoute } from '../../../utils/config/channel-routes'

export default listChannelsRoute('chat')
