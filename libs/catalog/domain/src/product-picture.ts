import { CatalogError } from './catalog.errors';
import type { PictureContentType } from './catalog.repository';

/** The largest picture the catalog stores: product cards and pages need no more, and the bytes live in its database. */
export const MAX_PICTURE_BYTES = 512 * 1024;

export const PICTURE_CONTENT_TYPES: readonly PictureContentType[] = ['image/png', 'image/jpeg', 'image/webp'];

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff]);

/** What the bytes are, by their magic numbers; null for anything else. */
export function sniffPicture(data: Buffer): PictureContentType | null {
  if (data.length >= 8 && data.subarray(0, 8).equals(PNG)) return 'image/png';
  if (data.length >= 3 && data.subarray(0, 3).equals(JPEG)) return 'image/jpeg';
  if (data.length >= 12 && data.toString('latin1', 0, 4) === 'RIFF' && data.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  return null;
}

/**
 * Checks an upload: not empty, within MAX_PICTURE_BYTES, a PNG, JPEG or WebP by its bytes, and the content type
 * it was sent with says the same (a header is a claim, the bytes are the proof). Returns the content type.
 */
export function checkPicture(data: Buffer, declared: string | undefined): PictureContentType {
  if (data.length === 0) throw new CatalogError('INVALID_PICTURE', 'the picture is empty');
  if (data.length > MAX_PICTURE_BYTES) {
    throw new CatalogError('INVALID_PICTURE', `the picture is ${data.length} bytes, at most ${MAX_PICTURE_BYTES} are accepted`);
  }
  const sniffed = sniffPicture(data);
  if (!sniffed) throw new CatalogError('INVALID_PICTURE', 'the bytes are not a PNG, JPEG or WebP image');
  const type = declared?.split(';')[0]?.trim().toLowerCase();
  if (type !== sniffed) throw new CatalogError('INVALID_PICTURE', `the bytes are ${sniffed}, but were sent as ${type || 'no content type'}`);
  return sniffed;
}
