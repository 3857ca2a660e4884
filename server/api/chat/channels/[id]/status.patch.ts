import { setChannelStatusRoute } from '../../../../utils/config/channel-routes'

export default setChannelStatusRoute('chat')
