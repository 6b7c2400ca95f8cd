/**
 * The UDP sockets the lab listens on (syslog collector, trap collector, SNMP agent): a receive buffer for a
 * fleet's bursts (the kernel's default ~208 KiB drops under load, dependencies.md), and errors after the
 * bind (ICMP port-unreachable from a vanished peer and the like) kept from ending the process; an error
 * before it (EADDRINUSE) fails the listen.
 */
import { createSocket, type Socket, type SocketType } from 'node:dgram';
import { isIPv6 } from 'node:net';

export const RECEIVE_BUFFER = 4 * 1024 * 1024;

export function udpSocket(type: SocketType): Socket {
  return createSocket({ type, recvBufferSize: RECEIVE_BUFFER });
}

export async function listenUdp(host: string, port: number): Promise<Socket> {
  const socket = udpSocket(isIPv6(host) ? 'udp6' : 'udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, host, () => {
      socket.off('error', reject);
      socket.on('error', () => {});
      resolve();
    });
  });
  return socket;
}
