import { resumeChannelRoute } from '../../../../utils/config/scheduler-routes'

export default resumeChannelRoute('chat')
