import { setLoadBalanceRoute } from '../../utils/config/channel-routes'

export default setLoadBalanceRoute('chat')
