import { defineIngestUnderFaultsSuite } from './ingest-under-faults.suite.ts';

defineIngestUnderFaultsSuite('dynalite');
