import { describe, expect, it } from 'vitest'
import { clientAddress, trustedProxyList } from '#server/utils/auth/client-address'

describe('clientAddress', () => {
  const trusted = trustedProxyList(['10.0.0.0/8', '::1', '192.168.1.1'])

  it('is the socket peer when the peer is not trusted, whatever X-Forwarded-For says', () => {
    expect(clientAddress('203.0.113.5', '1.2.3.4', trusted)).toBe('203.0.113.5')
    expect(clientAddress('::ffff:203.0.113.5', undefined, trusted)).toBe('203.0.113.5')
  })

  it('reads X-Forwarded-For from the right, skipping trusted proxies', () => {
    expect(clientAddress('10.1.2.3', '1.2.3.4', trusted)).toBe('1.2.3.4')
    expect(clientAddress('::ffff:10.1.2.3', 'spoofed, 1.2.3.4, 192.168.1.1', trusted)).toBe('1.2.3.4')
    expect(clientAddress('::1', ['5.6.7.8', '10.0.0.9'], trusted)).toBe('5.6.7.8')
  })

  it('falls back to the last trusted hop when every hop is trusted or the header is junk', () => {
    expect(clientAddress('10.1.2.3', '10.9.9.9', trusted)).toBe('10.9.9.9')
    expect(clientAddress('10.1.2.3', 'not-an-ip', trusted)).toBe('10.1.2.3')
  })

  it('trusts no one by default', () => {
    expect(clientAddress('127.0.0.1', '1.2.3.4', trustedProxyList([]))).toBe('127.0.0.1')
  })

  it('refuses an entry that is not an IP or CIDR', () => {
    expect(() => trustedProxyList(['10.0.0.0/33'])).toThrow('"10.0.0.0/33" is not an IP address or CIDR')
    expect(() => trustedProxyList(['proxy.local'])).toThrow('not an IP address')
  })
})
