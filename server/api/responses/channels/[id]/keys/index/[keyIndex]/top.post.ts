import { moveKeyRoute } from '#server/utils/admin/channel-routes'

export default moveKeyRoute('responses', 'top')
