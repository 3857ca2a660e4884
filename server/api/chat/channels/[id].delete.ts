import { deleteChannelRoute } from '../../../utils/config/channel-routes'

export default deleteChannelRoute('chat')
