import { setChannelStatusRoute } from '#server/utils/admin/channel-routes'

export default setChannelStatusRoute('chat')
