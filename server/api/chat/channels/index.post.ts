import { createChannelRoute } from '#server/utils/admin/channel-routes'

export default createChannelRoute('chat')
