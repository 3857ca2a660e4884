import { reorderChannelsRoute } from '../../../utils/config/channel-routes'

export default reorderChannelsRoute('chat')
