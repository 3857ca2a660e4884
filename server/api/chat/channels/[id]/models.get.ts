import { channelModelsRoute } from '../../../../utils/config/scheduler-routes'

export default channelModelsRoute('chat')
