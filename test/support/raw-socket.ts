import { connect, type Socket } from 'node:net'

/** A raw TCP connection to a server, recording what it sends and when it closes. */
export interface RawConnection {
  socket: Socket
  received: () => string
  /** Resolves when the server closed the connection. */
  closed: Promise<void>
}

/** Opens a TCP connection to `url` (http://host:port) and resolves once it is connected. */
export function rawConnect(url: string): Promise<RawConnection> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname)
    let data = ''
    socket.setEncoding('utf8')
    socket.on('data', (d: string) => {
      data += d
    })
    const closed = new Promise<void>(r => socket.once('close', () => r()))
    // A reset is a way of closing too; the tests look at what arrived before it.
    socket.on('error', () => {})
    socket.once('connect', () => resolve({ socket, received: () => data, closed }))
    socket.once('error', reject)
  })
}
