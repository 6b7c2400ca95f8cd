/** A dotted-quad IPv4 address, each octet 0–255 without leading zeros (as IOS takes them). */
export const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** A command parameter's accept function: the address, or undefined. */
export const ipv4 = (t: string): string | undefined => (IPV4.test(t) ? t : undefined);
