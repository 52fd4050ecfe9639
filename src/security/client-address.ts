// The address a limit or a lock counts against: an IPv4 address as it is, an IPv6 one by its /64 network.
import { isIPv4, isIPv6 } from 'node:net';

/** Groups an IPv6 address spells out, with "::" expanded (an IPv4 tail counts as two). */
function ipv6Groups(address: string): string[] {
  const [head = '', tail] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const width = (parts: string[]) => parts.reduce((n, p) => n + (p.includes('.') ? 2 : 1), 0);
  const missing = tail === undefined ? 0 : 8 - width(left) - width(right);
  return [...left, ...Array<string>(missing).fill('0'), ...right];
}

/**
 * One household, phone or server is given a whole IPv6 /64 and can pick any address in it, so counting per IPv6
 * address would let one client act as billions; IPv4-mapped addresses count as the IPv4 address they carry.
 */
export function clientKey(ip: string): string {
  const address = ip.split('%')[0]!.toLowerCase();
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(address);
  if (mapped) return mapped[1]!;
  if (isIPv4(address) || !isIPv6(address)) return address.slice(0, 64);
  const network = ipv6Groups(address)
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16));
  return `${network.join(':')}::/64`;
}
