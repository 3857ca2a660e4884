import { setLoadBalanceRoute } from '#server/utils/admin/channel-routes'

export default setLoadBalanceRoute('chat')
