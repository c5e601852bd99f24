import { defineIngestPipelineSuite } from './ingest-pipeline.suite.ts';

defineIngestPipelineSuite('dynalite');
