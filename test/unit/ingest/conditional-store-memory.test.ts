import { MemoryConditionalStore } from '#shared/adapters/memory-conditional-store.ts';
import { defineConditionalStoreContract } from '#test/support/conditional-store-contract.ts';

defineConditionalStoreContract('memory', async () => ({
  store: new MemoryConditionalStore(),
  stop: async () => {},
}));
