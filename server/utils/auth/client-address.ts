import { BlockList, isIP } from 'node:net'

/** `::ffff:10.0.0.1` (an IPv4 peer on a dual-stack socket) → `10.0.0.1`, so one client has one address. */
function plainAddress(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address
}

function familyOf(address: string): 'ipv4' | 'ipv6' | undefined {
  const v = isIP(address)
  return v === 4 ? 'ipv4' : v === 6 ? 'ipv6' : undefined
}

/** Builds the set of trusted proxies from `TRUSTED_PROXIES` entries (IPs or CIDRs); throws on a bad entry. */
export function trustedProxyList(entries: readonly string[]): BlockList {
  const list = new BlockList()
  for (const entry of entries) {
    const [ip = '', bits] = entry.split('/')
    const address = plainAddress(ip.trim())
    const family = familyOf(address)
    const prefix = bits === undefined ? undefined : Number(bits)
    const max = family === 'ipv4' ? 32 : 128
    if (!family || (prefix !== undefined && !(Number.isInteger(prefix) && prefix >= 0 && prefix <= max))) {
      throw new Error(`"${entry}" is not an IP address or CIDR`)
    }
    if (prefix === undefined) list.addAddress(address, family)
    else list.addSubnet(address, prefix, family)
  }
  return list
}

function isTrusted(trusted: BlockList, address: string): boolean {
  const family = familyOf(address)
  return family !== undefined && trusted.check(address, family)
}

/**
 * The client's address: the socket's peer, unless that peer is a trusted proxy, in which case
 * `X-Forwarded-For` is read from the right (each proxy appends the address it saw) and the first
 * address that is not itself a trusted proxy is the client. An untrusted peer's header is
 * ignored: anyone can send one.
 */
export function clientAddress(peer: string | undefined, forwardedFor: string | string[] | undefined, trusted: BlockList): string {
  let address = plainAddress(peer ?? '')
  if (!forwardedFor || !isTrusted(trusted, address)) return address
  const hops = [forwardedFor].flat().join(',').split(',').map(h => plainAddress(h.trim())).filter(h => isIP(h))
  for (let i = hops.length - 1; i >= 0; i--) {
    address = hops[i]!
    if (!isTrusted(trusted, address)) break
  }
  return address
}
