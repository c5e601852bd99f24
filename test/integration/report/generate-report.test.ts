import { defineGenerateReportSuite } from './generate-report.suite.ts';

defineGenerateReportSuite('dynalite');
