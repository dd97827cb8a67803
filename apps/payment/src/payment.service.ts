import { AppModule } from './app.module';
import { loadPaymentConfig } from './config/payment.config';

export const paymentService = { name: 'payment', loadConfig: loadPaymentConfig, module: AppModule.forRoot };
