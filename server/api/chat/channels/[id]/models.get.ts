import { channelModelsRoute } from '#server/utils/admin/scheduler-routes'

export default channelModelsRoute('chat')
