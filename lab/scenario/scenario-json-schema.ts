/**
 * The scenario schema as published JSON Schema (scenarios/scenario.schema.json), which the library's
 * scenarios reference for editor completion. `npm run schema` rewrites it; a test keeps it current.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { jsonSchemaText } from '../fleet/topology-json-schema.ts';
import { ScenarioSchema } from './scenario-schema.ts';

export const SCENARIO_SCHEMA_FILE = fileURLToPath(new URL('../../scenarios/scenario.schema.json', import.meta.url));

export const scenarioJsonSchemaText = (): string => jsonSchemaText(ScenarioSchema);

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(SCENARIO_SCHEMA_FILE, scenarioJsonSchemaText());
  console.log(`wrote ${SCENARIO_SCHEMA_FILE}`);
}
