import { SetMetadata } from '@nestjs/common';

export const PUBLIC_ROUTE = 'auth:public';

/** The route needs no token (catalog reads, health, metrics). Read by the auth guard. */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);
