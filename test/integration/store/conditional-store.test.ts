import { defineDynamoConditionalStoreContract } from './conditional-store.suite.ts';

defineDynamoConditionalStoreContract('dynalite');
