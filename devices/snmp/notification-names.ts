/** A notification OID's name in the lab's two licensing MIBs (what snmptrapd prints symbolically). */
import { licenseMgmtNotifications } from './license-mgmt-mib.ts';
import { smartLicNotifications } from './smart-lic-mib.ts';

const NAMES: ReadonlyMap<string, string> = new Map(
  [...Object.entries(smartLicNotifications), ...Object.entries(licenseMgmtNotifications)].map(([name, n]) => [
    n.oid,
    name,
  ]),
);

export function notificationName(trapOid: string): string | undefined {
  return NAMES.get(trapOid);
}
