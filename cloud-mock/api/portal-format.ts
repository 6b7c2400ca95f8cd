/** PAKs and issued licenses as the portal routes answer them (the lab's shapes: Cisco publishes no PAK API). */
import { remaining, requireTraditionalSku, type IssuedFile } from '../domain/index.ts';
import type { Pak, PortalLicense } from '../store/index.ts';
import { ciscoTime } from './cisco-format.ts';

export function pakJson(p: Pak) {
  return {
    pak: p.id,
    orderId: p.orderId,
    createdDate: ciscoTime(p.createdAt),
    items: p.items.map((i) => {
      const sku = requireTraditionalSku(i.sku);
      return {
        sku: i.sku,
        description: sku.description,
        feature: sku.feature,
        quantity: i.quantity,
        fulfilled: i.fulfilled,
        converted: i.converted,
        remaining: remaining(i),
      };
    }),
  };
}

export function portalLicenseJson(l: PortalLicense) {
  return {
    licenseId: l.id,
    feature: l.feature,
    licenseType: l.type,
    count: l.count,
    udi: l.udi,
    pak: l.pakId,
    sku: l.sku,
    status: l.status,
    issuedDate: ciscoTime(l.issuedAt),
    movedTo: l.movedTo,
  };
}

/** What every issuing route answers: the file and its licenses. */
export function issuedJson(f: IssuedFile) {
  return { licenseFile: f.licenseFile, fileName: f.fileName, licenses: f.licenses.map(portalLicenseJson) };
}

/** The short form the device protocol carries. */
export function issuedLicensesBrief(f: IssuedFile) {
  return f.licenses.map((l) => ({ licenseId: l.id, feature: l.feature, licenseType: l.type, count: l.count }));
}
