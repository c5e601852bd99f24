import { defineIngestPropertySuite, propertyRuns } from './ingest-property.suite.ts';

defineIngestPropertySuite('dynalite', propertyRuns(4));
