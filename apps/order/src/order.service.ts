import { AppModule } from './app.module';
import { loadOrderConfig } from './config/order.config';

export const orderService = { name: 'order', loadConfig: loadOrderConfig, module: AppModule.forRoot };
