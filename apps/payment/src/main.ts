import './telemetry';
import 'reflect-metadata';
import { runService } from '@shop/platform/service';
import { paymentService } from './payment.service';

runService(paymentService);
