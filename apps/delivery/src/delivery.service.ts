import { AppModule } from './app.module';
import { loadDeliveryConfig } from './config/delivery.config';

export const deliveryService = { name: 'delivery', loadConfig: loadDeliveryConfig, module: AppModule.forRoot };
