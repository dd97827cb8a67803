import './telemetry';
import 'reflect-metadata';
import { runService } from '@shop/platform/service';
import { catalogService } from './catalog.service';

runService(catalogService);
