import './telemetry';
import 'reflect-metadata';
import { runService } from '@shop/platform/service';
import { orderService } from './order.service';

runService(orderService);
