import { Body, Controller, Headers, Param, Put } from '@nestjs/common';
import { Roles } from '@shop/platform/auth';
import { ProblemException, UuidParamPipe } from '@shop/platform/http';
import type { ProductView } from '@shop/shared/contracts';
import { ChangePictureHandler } from './change-picture.handler';

/** `PUT /api/products/:id/picture` with the image's bytes as the body and its type as the content type. */
@Controller('api/products')
export class ChangePictureHttpController {
  constructor(private readonly handler: ChangePictureHandler) {}

  @Put(':id/picture')
  @Roles('admin')
  async change(
    @Param('id', new UuidParamPipe('product')) id: string,
    @Body() body: unknown,
    @Headers('content-type') contentType: string | undefined,
  ): Promise<ProductView> {
    if (!Buffer.isBuffer(body)) {
      throw new ProblemException(400, 'send the picture as the request body, with content type image/png, image/jpeg or image/webp', {
        errors: [{ path: 'body', message: 'not an image body' }],
      });
    }
    return this.handler.execute(id, body, contentType);
  }
}
