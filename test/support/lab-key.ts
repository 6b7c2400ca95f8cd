/** The lab key of the clouds tests build in this process, and the header that carries it. */
import type { LabKey } from '#cloud';

export const TEST_LAB_KEY: LabKey = {
  value: 'test-lab-key-0123456789abcdef',
  where: 'the test (test/support/lab-key.ts)',
};

export const labKeyHeader: Record<string, string> = { 'x-lab-key': TEST_LAB_KEY.value };
