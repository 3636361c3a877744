export * from "./ranges";
export { getMetrics } from "./series";
