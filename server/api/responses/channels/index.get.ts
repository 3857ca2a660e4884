import { listChannelsRoute } from '#server/utils/admin/channel-routes'

export default listChannelsRoute('responses')
