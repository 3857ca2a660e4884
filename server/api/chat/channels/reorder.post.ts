import { reorderChannelsRoute } from '#server/utils/admin/channel-routes'

export default reorderChannelsRoute('chat')
