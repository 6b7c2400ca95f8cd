import { describe, expect, it } from 'vitest';
import { checkPath, FLASH_CAPACITY, listFiles, readStoredFile, writeFile } from './flash.ts';

describe('the flash file systems', () => {
  it('names paths as IOS does: flash:/x and flash0:x are flash:x; other file systems are refused', () => {
    expect(checkPath('flash:/a.lic')).toMatchObject({ ok: true, path: 'flash:a.lic' });
    expect(checkPath('flash0:a.lic')).toMatchObject({ ok: true, path: 'flash:a.lic' });
    expect(checkPath('usbflash0:a.lic')).toMatchObject({ ok: true, path: 'usbflash0:a.lic' });
    expect(checkPath('disk9:a.lic')).toEqual({
      ok: false,
      error: '%Error opening disk9:a.lic (Invalid file system; valid: flash:, usbflash0:)',
    });
    expect(checkPath('flash:../x')).toMatchObject({
      ok: false,
      error: '%Error opening flash:../x (Invalid file name)',
    });
  });

  it('writes, reads, lists, and refuses what does not fit', () => {
    const one = writeFile({}, 'flash:b.lic', 'B', 5);
    expect(one.ok).toBe(true);
    const files = one.ok ? one.value : {};
    const two = writeFile(files, 'flash:a.lic', 'A', 6);
    const both = two.ok ? two.value : {};
    expect(listFiles(both, 'flash:').map((f) => f.name)).toEqual(['a.lic', 'b.lic']);
    expect(listFiles(both, 'usbflash0:')).toEqual([]);
    expect(readStoredFile(both, 'flash:/a.lic')).toEqual({ ok: true, value: 'A' });
    expect(readStoredFile(both, 'flash:c.lic')).toEqual({
      ok: false,
      error: '%Error opening flash:c.lic (No such file or directory)',
    });
    const big = writeFile(both, 'usbflash0:big', 'x'.repeat(FLASH_CAPACITY), 7);
    expect(big).toEqual({
      ok: false,
      error: `%Error writing usbflash0:big (No space left on device: ${FLASH_CAPACITY} bytes, ${FLASH_CAPACITY - 2} free)`,
    });
    // Rewriting a file frees its old bytes first.
    expect(writeFile({ 'flash:x': { text: 'x'.repeat(FLASH_CAPACITY), at: 0 } }, 'flash:x', 'y', 1).ok).toBe(true);
  });
});
