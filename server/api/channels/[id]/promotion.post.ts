import { promoteChannelRoute } from '#server/utils/admin/scheduler-routes'

export default promoteChannelRoute('messages')
