export { xero } from "./platform";
export { handleXero, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "./api";
export { xeroGuid, parseXeroGuid, tenantGuid } from "./ids";
export { XERO_OBJECTS, ID_BASES, type XeroObject } from "./objects";
export { XERO_LIMITS } from "./limits";
