/**
 * What a platform model is to the lab: its PID, licence levels, feature licences, entitlement tags and
 * which licensing modes each software release supports (traditional-licensing-snmp-platforms.md §C).
 * One module per family in this folder fills these in; registry.ts is the only lookup.
 */
/** `slp`: Smart Licensing Using Policy (IOS XE 17.3.2 and later). */
export type LicensingMode = 'traditional' | 'smart' | 'slp';

/** How the family's licence levels work (§C.3). */
export type LevelModel =
  /** One active image level; `license boot level <level>` + reload (switches, ASR 900/1000, ISR 4000). */
  | 'image-level'
  /** Independent technology packages on top of ipbasek9; `license boot module <m> technology-package <p>` (ISR G2). */
  | 'technology-package';

export interface SoftwareRelease {
  /** As `show version` prints it: `16.9.4`, `15.7(3)M5`, `12.2(55)SE12`. */
  version: string;
  /** `show version` first line: `Cisco IOS XE Software, Version 16.09.04` vs `Cisco IOS Software, …`. */
  os: 'IOS' | 'IOS XE';
  /** System image file name shown by `show version`. */
  image: string;
  modes: readonly LicensingMode[];
  /** The mode a factory-fresh device of this release runs in. */
  defaultMode: LicensingMode;
}

export interface LicenseLevel {
  /** CLI keyword, as typed after `license boot level` (`network-advantage`, `ipservicesk9`, `appxk9`). */
  name: string;
  /** Smart Licensing entitlement tag this level requests on this model (cloud-mock/protocol/entitlements.ts). */
  entitlementTag?: string;
  /** Level names it includes (ipservices includes ipbase); used for enforcement at reload. */
  includes?: readonly string[];
  /** Add-ons only: the base levels it may be combined with (Catalyst 9000: dna-advantage needs network-advantage). */
  addonFor?: readonly string[];
}

export interface FeatureLicense {
  /** Feature name as `show license` prints it (`hseck9`, `throughput`, `cme-srst`, `oc3`). */
  name: string;
  entitlementTag?: string;
  /** Counted licences carry a count (cme-srst seats, oc3 ports). */
  counted?: boolean;
  /** clmgmtFeatureWhatIsCounted of a counted licence (`IP phones`); default the feature name. */
  whatIsCounted?: string;
  /** Export-controlled: needs an export-enabled registration token (smart) to be used. */
  exportControlled?: boolean;
}

export interface PlatformModel {
  pid: string;
  /** Family id, as registered: `catalyst-9300`, `isr-4000`, … */
  family: string;
  /**
   * `show version` model line up to ` with <memory> bytes of memory.`: `cisco C9300-24P (X86) processor`,
   * `Cisco CISCO2911/K9 (revision 1.0)`.
   */
  description: string;
  /**
   * Version ID of the UDI (`show inventory` `VID: V01`; regex `^[A-HJ-NP-Z0-9]{2,3}$`, §C.1). Per-model
   * values are unconfirmed except WS-C3560E-24TD-S `V03` (real `show version`) and ASR-903 `V01` (S-ASR903).
   */
  vid: string;
  /**
   * PID the traditional licensing UDI carries when it is not the chassis PID (`show license udi`: a
   * CISCO3925/K9 licenses as `C3900-SPE100/K9`, a C881-K9 as `CISCO881-K9`; §A.5.5).
   */
  licenseUdiPid?: string;
  /** Default hostname of a factory-fresh unit (prompt `Switch#` / `Router#`). */
  defaultHostname: 'Switch' | 'Router';
  levelModel: LevelModel;
  /** Boot levels (image-level) or technology packages, lowest first. */
  levels: readonly LicenseLevel[];
  defaultLevel: string;
  /** Catalyst 9000 add-ons (`license boot level network-advantage addon dna-advantage`). */
  addons?: readonly LicenseLevel[];
  /** Add-on a factory-fresh unit boots with (Catalyst 9000 ship with a DNA subscription). */
  defaultAddon?: string;
  features: readonly FeatureLicense[];
  releases: readonly SoftwareRelease[];
  defaultRelease: string;
  /** Manufacturing-site prefixes for generated serials (LLL of LLLYYWWSSSS). */
  serialPrefixes: readonly string[];
  /**
   * Licence module: ISR G2 `license boot module <name>` (c1900, c2900, c3900); ISR 800 `show version`
   * `License Information for 'c880-data'`.
   */
  licenseModule?: string;
  /**
   * Right-to-Use licensing on its traditional releases (Catalyst 3650 / 3850 3.x, 16.3; §C.2): levels are
   * activated with `license right-to-use activate` (licensing/traditional-rtu.ts), and the image has no
   * built-in evaluation license per level (an RTU evaluation is activated instead).
   */
  rightToUse?: boolean;
}

export interface PlatformFamily {
  id: string;
  /** Human name: `Catalyst 9300`, `ISR 4000`. */
  name: string;
  models: readonly PlatformModel[];
}
