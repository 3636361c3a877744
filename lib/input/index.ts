// Untrusted input, read once at the edge for every route (the API, the dashboard's JSON routes, Link,
// the platforms' webhooks): bodies up to a limit, JSON with where it broke, text PostgreSQL can store,
// instants both PostgreSQL and JavaScript represent. Each edge turns the problems into its own error shape.
export { BodyTooLargeError, bodyTooLargeResponse, readBodyText } from "./body";
export { EARLIEST_INSTANT, LATEST_INSTANT, instant, isSaneInstant, isoInstant } from "./dates";
export { readJsonInput, where, type JsonInput } from "./json";
export { MAX_JSON_DEPTH } from "./json-text";
export { fieldPath, textProblem } from "./text";
export { issueField, issueMessage, issueProblems, type IssueProblem } from "./issues";
