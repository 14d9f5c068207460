/** Test helpers for other packages' specs (`@bwdc/ui/testing`, mapped in jest and tsconfig only). */
export { createFakeConnector, type FakeConnectorState } from './fake-connector';
