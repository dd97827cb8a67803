import './telemetry';
import 'reflect-metadata';
import { runService } from '@shop/platform/service';
import { deliveryService } from './delivery.service';

runService(deliveryService);
