/**
 * The topology schema as published JSON Schema (scenarios/topologies/topology.schema.json), which the
 * bundled topologies reference for editor completion. `npm run schema` rewrites the file; a test keeps it
 * equal to the TypeBox schema the loader validates with.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TopologySchema } from './topology-schema.ts';

export const TOPOLOGY_SCHEMA_FILE = fileURLToPath(
  new URL('../../scenarios/topologies/topology.schema.json', import.meta.url),
);

export function topologyJsonSchemaText(): string {
  // JSON round trip drops TypeBox's symbol keys; what remains is plain draft-07 JSON Schema.
  const schema = { $schema: 'http://json-schema.org/draft-07/schema#', ...JSON.parse(JSON.stringify(TopologySchema)) };
  return `${JSON.stringify(schema, null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(TOPOLOGY_SCHEMA_FILE, topologyJsonSchemaText());
  console.log(`wrote ${TOPOLOGY_SCHEMA_FILE}`);
}
