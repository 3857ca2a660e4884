import { addKeyRoute } from '#server/utils/admin/channel-routes'

export default addKeyRoute('responses')
