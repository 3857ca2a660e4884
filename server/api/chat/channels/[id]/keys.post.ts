import { addKeyRoute } from '../../../../utils/config/channel-routes'

export default addKeyRoute('chat')
