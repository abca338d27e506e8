/**
 * The simulated Confluent Cloud: a deterministic organization (`createModel`), its HTTP server
 * (`startSimulator`) and a ready `ccost.yaml` for it (`simulatedConfig`). `ccost demo` and the HTTP
 * clients' tests use it; `ccost simulate` serves it from the command line.
 */
export { SIM_KEY_ENV, SIM_SECRET_ENV, type SimulatedConfigOptions, simulatedConfig } from './config.ts';
export { type FaultCounts, type Faults, faultsSchema, parseFaults } from './faults.ts';
export { DEFAULT_PAGE_SIZES, type PageSizes } from './handlers.ts';
export type { ModelOptions, SimCost, SimOrg, Team } from './model.ts';
export {
  createModel,
  defaultStart,
  PRINCIPAL_METRICS,
  type SimInventory,
  type SimMetric,
  SimModel,
  TEAMS,
  TOPIC_METRICS,
  type UsagePoint,
  type UsageQuery,
} from './model.ts';
export { KAFKA_PRICES, PRICES } from './prices.ts';
export {
  SIM_API_KEY,
  SIM_API_SECRET,
  type Simulator,
  type SimulatorOptions,
  type SimulatorStats,
  startSimulator,
} from './server.ts';
