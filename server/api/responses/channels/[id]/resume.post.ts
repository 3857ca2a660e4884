import { resumeChannelRoute } from '#server/utils/admin/scheduler-routes'

export default resumeChannelRoute('responses')
