/** The account every benchmark registers into: a million licences and an unlimited token. */
export const BENCH_TOKEN = 'BENCH-TOKEN-UNLIMITED%0Abench%3D';
export const BENCH_SEED = `
accounts:
  - name: Bench Corp
    domain: bench.example.com
    virtualAccounts:
      - name: DEFAULT
        licenses: [{ sku: C9300-NW-E-24, quantity: 1000000 }, { sku: C9300-NW-A-24, quantity: 1000000 }, { sku: C9300-DNA-A-24-3Y, quantity: 1000000 }]
        tokens: [{ value: "${BENCH_TOKEN}", expiresAfterDays: 365 }]
`;
