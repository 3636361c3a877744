// The ticketing sandbox platform (Zendesk Support API v2): its objects and its request handler.
export { handleZendesk, zendeskRecordJson } from "./api";
export { ticketComments, type ZendeskComment } from "./comments";
export { ID_BASE as ZENDESK_ID_BASE, ZENDESK_OBJECTS } from "./objects";
