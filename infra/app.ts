import { App } from 'aws-cdk-lib';
import { buildSalaryReportApp } from './salary-report-app.ts';

const app = new App();
buildSalaryReportApp(app);
app.synth();
