import { CatalogError } from './catalog.errors';
import { checkPicture, MAX_PICTURE_BYTES, sniffPicture } from './product-picture';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]);
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([0, 0, 0, 0]), Buffer.from('WEBPVP8 ')]);

const refusal = (data: Buffer, type: string | undefined) => {
  try {
    checkPicture(data, type);
    return 'accepted';
  } catch (err) {
    expect(err).toBeInstanceOf(CatalogError);
    expect((err as CatalogError).code).toBe('INVALID_PICTURE');
    return (err as Error).message;
  }
};

describe('a product picture upload', () => {
  it('is known by its bytes: PNG, JPEG, WebP, and nothing else (an SVG, text, a GIF)', () => {
    expect([PNG, JPEG, WEBP].map(sniffPicture)).toEqual(['image/png', 'image/jpeg', 'image/webp']);
    expect(sniffPicture(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
    expect(sniffPicture(Buffer.from('GIF89a'))).toBeNull();
    expect(sniffPicture(Buffer.from('RIFF....WAVE'))).toBeNull();
  });

  it('is accepted when the content type sent says what the bytes are (parameters and case aside)', () => {
    expect(checkPicture(PNG, 'image/png')).toBe('image/png');
    expect(checkPicture(JPEG, 'Image/JPEG; charset=binary')).toBe('image/jpeg');
    expect(checkPicture(WEBP, 'image/webp')).toBe('image/webp');
  });

  it('is refused empty, too large, not an image, or sent as another type than its bytes', () => {
    expect(refusal(Buffer.alloc(0), 'image/png')).toBe('the picture is empty');
    expect(refusal(Buffer.concat([PNG, Buffer.alloc(MAX_PICTURE_BYTES)]), 'image/png')).toMatch(/at most 524288 are accepted/);
    expect(refusal(Buffer.from('hello'), 'image/png')).toBe('the bytes are not a PNG, JPEG or WebP image');
    expect(refusal(PNG, 'image/jpeg')).toBe('the bytes are image/png, but were sent as image/jpeg');
    expect(refusal(PNG, undefined)).toBe('the bytes are image/png, but were sent as no content type');
  });
});
