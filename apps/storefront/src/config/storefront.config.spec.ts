import { loadStorefrontConfig } from './storefront.config';

describe('storefront configuration', () => {
  it('defaults to port 8080 and a gateway on localhost:3000', () => {
    expect(loadStorefrontConfig({})).toMatchObject({ PORT: 4200, GATEWAY_URL: 'http://127.0.0.1:3000' });
  });

  it('takes PORT and GATEWAY_URL from the environment', () => {
    expect(loadStorefrontConfig({ PORT: '9000', GATEWAY_URL: 'http://api-gateway:3000' })).toMatchObject({ PORT: 9000, GATEWAY_URL: 'http://api-gateway:3000' });
  });

  it('names every bad variable on one line', () => {
    expect(() => loadStorefrontConfig({ PORT: 'eighty', GATEWAY_URL: 'ftp://x' })).toThrow(/^invalid configuration: PORT="eighty": .*; GATEWAY_URL="ftp:\/\/x": /);
  });
});
