import { defineReportApiSuite } from './report-api.suite.ts';

defineReportApiSuite('dynalite');
