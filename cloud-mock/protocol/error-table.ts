/** The error catalogue as the Markdown table cloud-mock/README.md carries (a test keeps the two equal). */
import { errorCatalogue } from './errors.ts';

export function errorCatalogueTable(): string {
  const rows = Object.entries(errorCatalogue).map(([code, e]) => `| \`${code}\` | ${e.status} | ${e.summary} |`);
  return ['| code | HTTP | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}
