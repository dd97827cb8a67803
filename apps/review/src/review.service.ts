import { AppModule } from './app.module';
import { loadReviewConfig } from './config/review.config';

export const reviewService = { name: 'review', loadConfig: loadReviewConfig, module: AppModule.forRoot };
