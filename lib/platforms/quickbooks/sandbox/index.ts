export { handleQuickBooks, quickBooksRecordJson, CDC_MAX_LOOKBACK_MS, CDC_MAX_OBJECTS, type QuickBooksOptions } from "./api";
export { QUICKBOOKS_OBJECTS, QUICKBOOKS_ENTITIES, isQuickBooksEntity, type QuickBooksEntity } from "./objects";
export { parseQuery, type ParsedQuery, type QueryParseResult } from "./query";
