/**
 * The topology schema as published JSON Schema (scenarios/topologies/topology.schema.json), which the
 * bundled topologies reference for editor completion. `npm run schema` rewrites the file; a test keeps it
 * equal to the TypeBox schema the loader validates with.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TSchema } from '@sinclair/typebox';
import { TopologySchema } from './topology-schema.ts';

export const TOPOLOGY_SCHEMA_FILE = fileURLToPath(
  new URL('../../scenarios/topologies/topology.schema.json', import.meta.url),
);

/** A TypeBox schema as a draft-07 JSON Schema file's text. */
export function jsonSchemaText(schema: TSchema): string {
  // JSON round trip drops TypeBox's symbol keys; what remains is plain draft-07 JSON Schema.
  const json = { $schema: 'http://json-schema.org/draft-07/schema#', ...JSON.parse(JSON.stringify(schema)) };
  return `${JSON.stringify(json, null, 2)}\n`;
}

export const topologyJsonSchemaText = (): string => jsonSchemaText(TopologySchema);

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(TOPOLOGY_SCHEMA_FILE, topologyJsonSchemaText());
  console.log(`wrote ${TOPOLOGY_SCHEMA_FILE}`);
}
