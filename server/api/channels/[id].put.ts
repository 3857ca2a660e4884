import { updateChannelRoute } from '#server/utils/admin/channel-routes'

export default updateChannelRoute('messages')
