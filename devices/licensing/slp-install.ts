/**
 * Installing documents already checked for this device (slp-import.ts) into the SLP record, with the
 * messages each logs: an ACK drops the reports it names and resets the deadline's base (`Last ACK
 * received`), a policy replaces the one in force, a trust code enables direct reporting, a SLAC lets an
 * enforced or export-controlled license run (the set it names replaces the installed one; an empty set is
 * the cloud's answer to a return). Account information comes with ACKs and trust codes
 * (`Smart Account: <name> As of <time>`, §9.4). Pure.
 */
import { acknowledge } from './rum-reports.ts';
import type { OpenedDocument } from './slp-import.ts';
import type { SlpRecord } from './slp-record.ts';
import { smartLic, type SmartLicEmission } from './smart-events.ts';

export interface Installed {
  record: SlpRecord;
  logs: SmartLicEmission[];
  /** What moved: the ACK deadline (ACK, policy), the trust (trust code), the licenses in use (SLAC). */
  ackChanged: boolean;
  trustChanged: boolean;
}

export function installDocuments(record: SlpRecord, documents: readonly OpenedDocument[], now: number): Installed {
  const logs: SmartLicEmission[] = [];
  let r = record;
  let ackChanged = false;
  let trustChanged = false;
  for (const d of documents) {
    switch (d.kind) {
      case 'RUM_ACK': {
        const p = d.payload;
        r = {
          ...acknowledge(r, p.report_ids),
          lastAckAt: now,
          account: { smartAccount: p.smart_account, virtualAccount: p.virtual_account, asOf: now },
        };
        logs.push(smartLic('RUM_ACK_RECEIVED', {}));
        if (p.policy) {
          r = { ...r, policy: { policy: p.policy, installedAt: now } };
          logs.push(smartLic('POLICY_INSTALL_SUCCESS', {}));
        }
        ackChanged = true;
        break;
      }
      case 'POLICY':
        r = { ...r, policy: { policy: d.payload.policy, installedAt: now } };
        logs.push(smartLic('POLICY_INSTALL_SUCCESS', {}));
        ackChanged = true;
        break;
      case 'TRUST_CODE': {
        const p = d.payload;
        r = {
          ...r,
          trust: {
            installedAt: now,
            validFrom: p.valid_from,
            validUntil: p.valid_until,
            exportControlled: p.export_controlled,
          },
          account: { smartAccount: p.smart_account, virtualAccount: p.virtual_account, asOf: now },
        };
        logs.push(smartLic('TRUST_CODE_INSTALL_SUCCESS', {}));
        trustChanged = true;
        break;
      }
      case 'SLAC': {
        const keys = d.payload.keys.map((k) => ({
          entitlement: k.entitlement,
          count: k.count,
          installedAt: now,
          confirmCode: d.payload.confirm_code,
        }));
        // A SLAC is the whole set the UDI may use, as the cloud holds it: it replaces the one installed.
        // The cloud's answer to a return is a SLAC without keys: the codes leave.
        const removed = keys.length === 0 && r.authorizations.length > 0;
        r = { ...r, authorizations: keys };
        logs.push(smartLic(removed ? 'AUTHORIZATION_REMOVED' : 'AUTHORIZATION_INSTALL_SUCCESS', {}));
        ackChanged = true;
        break;
      }
    }
  }
  return { record: r, logs, ackChanged, trustChanged };
}
