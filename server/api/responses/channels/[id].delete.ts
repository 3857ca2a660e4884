import { deleteChannelRoute } from '#server/utils/admin/channel-routes'

export default deleteChannelRoute('responses')
