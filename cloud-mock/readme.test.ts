import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorCatalogueTable } from '#protocol';

describe('cloud-mock/README.md', () => {
  it('documents exactly the error catalogue', () => {
    const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
    const documented = /<!-- error-catalogue:start -->\n([\s\S]*?)\n<!-- error-catalogue:end -->/.exec(readme)?.[1];
    expect(documented).toBe(errorCatalogueTable());
  });
});
