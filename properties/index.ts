/** dnn-verify's properties: arbitraries (for users' own properties), the properties, and their runner. */
export * from './arbitraries/index.ts';
export { PROPERTIES, PropertyFailure, type Property } from './props/index.ts';
export { propertySuite, runProperty, propertyId, propertySeed } from './suite.ts';
export { pythonReplay, pythonValue } from './replay.ts';
