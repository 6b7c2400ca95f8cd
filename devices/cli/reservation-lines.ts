/**
 * A license's reservation lines in `show license all|usage` (smart-licensing.md §4.4, the classic SLR
 * capture: `Reservation status: SPECIFIC INSTALLED`, `Total reserved count: <n>`), on 16.x and 17.x alike;
 * nothing without a reservation installed, `NOT INSTALLED` for a license a SPECIFIC code leaves out.
 */
export function licenseReservationLines(reserved: number | 'all' | undefined): string[] {
  if (reserved === undefined) return [];
  if (reserved === 0) return ['  Reservation status: NOT INSTALLED'];
  return [
    `  Reservation status: ${reserved === 'all' ? 'UNIVERSAL' : 'SPECIFIC'} INSTALLED`,
    `  Total reserved count: ${reserved === 'all' ? 'UNLIMITED' : reserved}`,
  ];
}
