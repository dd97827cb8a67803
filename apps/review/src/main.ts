import './telemetry';
import 'reflect-metadata';
import { runService } from '@shop/platform/service';
import { reviewService } from './review.service';

runService(reviewService);
