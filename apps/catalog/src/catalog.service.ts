import { AppModule } from './app.module';
import { loadCatalogConfig } from './config/catalog.config';

export const catalogService = { name: 'catalog', loadConfig: loadCatalogConfig, module: AppModule.forRoot };
